package io.eqntk.data;

import io.eqntk.EqntkException;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads MedMNIST {@code .npz} archives: arrays {@code train_images}, {@code train_labels}, {@code val_images},
 * {@code val_labels}, {@code test_images}, {@code test_labels}; images uint8 [n,H,W] (gray) or [n,H,W,3]
 * (or [n,H,W,1]), labels [n,1] or [n] holding class indices. Class names are "0".."k-1" where k-1 is the
 * largest label. Multi-label arrays ([n,k] with k > 1) are rejected.
 */
public final class MedMnistLoader implements DatasetLoader {
    private static final String[][] SPLITS = {{Dataset.TRAIN, "train"}, {Dataset.VALID, "val"}, {Dataset.TEST, "test"}};

    @Override
    public Dataset load(String name, Path source, LoadOptions options) {
        Map<String, NdArray> arrays = Npz.read(source);
        String file = source.getFileName().toString();
        NdArray[] imgs = new NdArray[3];
        int[][] labels = new int[3][];
        int maxLabel = 0;
        for (String[] sp : SPLITS) {
            for (String kind : new String[]{"_images", "_labels"}) {
                if (!arrays.containsKey(sp[1] + kind)) {
                    throw new EqntkException("npz file " + source + " has no " + sp[1] + kind + " array (found "
                            + arrays.keySet() + ")");
                }
            }
        }
        for (int s = 0; s < 3; s++) {
            String pre = SPLITS[s][1];
            NdArray im = arrays.get(pre + "_images");
            NdArray lb = arrays.get(pre + "_labels");
            if (im == null || lb == null) {
                throw new EqntkException("npz file " + source + " has no " + (im == null ? pre + "_images" : pre
                        + "_labels") + " array (found " + arrays.keySet() + ")");
            }
            int r = im.rank();
            if (!(r == 3 || (r == 4 && (im.dim(3) == 1 || im.dim(3) == 3)))) {
                throw new EqntkException("npz file " + source + ": " + pre + "_images has shape "
                        + Arrays.toString(im.shape()) + ", expected [n,H,W] or [n,H,W,3]");
            }
            if (lb.rank() > 2 || (lb.rank() == 2 && lb.dim(1) != 1) || lb.rank() == 0) {
                throw new EqntkException("npz file " + source + ": " + pre + "_labels has shape "
                        + Arrays.toString(lb.shape()) + "; only single-label [n] or [n,1] labels are supported");
            }
            if (lb.dim(0) != im.dim(0)) {
                throw new EqntkException("npz file " + source + ": " + pre + "_images has " + im.dim(0)
                        + " images but " + pre + "_labels has " + lb.dim(0) + " labels");
            }
            int[] l = new int[lb.dim(0)];
            double[] d = lb.data();
            for (int i = 0; i < l.length; i++) {
                if (d[i] < 0 || d[i] != Math.rint(d[i]) || d[i] > 100000) {
                    throw new EqntkException("npz file " + source + ": " + pre + "_labels[" + i + "] = " + d[i]
                            + " is not a class index");
                }
                l[i] = (int) d[i];
                maxLabel = Math.max(maxLabel, l[i]);
            }
            imgs[s] = im;
            labels[s] = l;
        }
        for (int s = 1; s < 3; s++) {
            if (imgs[s].dim(1) != imgs[0].dim(1) || imgs[s].dim(2) != imgs[0].dim(2)) {
                if (options.size() == 0) {
                    throw new EqntkException("npz file " + source + ": " + SPLITS[s][1] + "_images are "
                            + imgs[s].dim(2) + "x" + imgs[s].dim(1) + " but train_images are " + imgs[0].dim(2)
                            + "x" + imgs[0].dim(1) + " (set an image size to resize)");
                }
            }
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c <= maxLabel; c++) {
            classes.add(Integer.toString(c));
        }
        Assembler.Source[] src = new Assembler.Source[3];
        for (int s = 0; s < 3; s++) {
            NdArray im = imgs[s];
            int c = im.rank() == 4 ? im.dim(3) : 1;
            src[s] = Assembler.arrays(im.data(), im.dim(0), im.dim(1), im.dim(2), c, labels[s], classes,
                    file + ":" + SPLITS[s][1]);
        }
        return Assembler.assemble(name, classes, src[0], src[1], src[2], options);
    }
}
