package io.eqntk.data;

import io.eqntk.EqntkException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Loads MNIST-style IDX folders: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte} (also with {@code .} instead of the
 * last {@code -}, {@code test} instead of {@code t10k}), each optionally gzip-compressed ({@code .gz};
 * compression is detected from the content). Only unsigned-byte data is supported. There is no validation
 * split: it is carved from train. Class names are "0".."max label".
 */
public final class IdxLoader implements DatasetLoader {
    private static final Pattern TRAIN_IMAGES = Pattern.compile("train-images[.-]idx3-ubyte(\\.gz)?");
    private static final Pattern TRAIN_LABELS = Pattern.compile("train-labels[.-]idx1-ubyte(\\.gz)?");
    private static final Pattern TEST_IMAGES = Pattern.compile("(t10k|test)-images[.-]idx3-ubyte(\\.gz)?");
    private static final Pattern TEST_LABELS = Pattern.compile("(t10k|test)-labels[.-]idx1-ubyte(\\.gz)?");

    /** Whether a folder holds IDX training files. */
    static boolean looksLikeIdx(Path dir) {
        return find(dir, TRAIN_IMAGES, false) != null;
    }

    /** The dimensions recorded in an IDX file's header (for example [60000, 28, 28]). */
    public static int[] readHeader(Path file) {
        try (DataInputStream in = open(file)) {
            return header(in, file);
        } catch (EOFException e) {
            throw new EqntkException("truncated IDX file " + file + " (ends inside the header)", e);
        } catch (IOException e) {
            throw new EqntkException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The IDX files of a folder, in the order train images, train labels, test images, test labels. */
    public static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Pattern p : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            out.add(find(dir, p, true));
        }
        return out;
    }

    @Override
    public Dataset load(String name, Path source, LoadOptions options) {
        if (!Files.isDirectory(source)) {
            throw new EqntkException("IDX folder not found: " + source);
        }
        List<Path> f = files(source);
        byte[][] images = new byte[2][];
        int[][] dims = new int[2][];
        int[][] labels = new int[2][];
        int maxLabel = 0;
        for (int s = 0; s < 2; s++) {
            Path imf = f.get(2 * s);
            Path lbf = f.get(2 * s + 1);
            int[] d = new int[3];
            images[s] = readAll(imf, 3, d);
            dims[s] = d;
            int[] ld = new int[1];
            byte[] lb = readAll(lbf, 1, ld);
            if (ld[0] != d[0]) {
                throw new EqntkException("IDX files disagree: " + imf + " has " + d[0] + " images but " + lbf
                        + " has " + ld[0] + " labels");
            }
            labels[s] = new int[lb.length];
            for (int i = 0; i < lb.length; i++) {
                labels[s][i] = lb[i] & 0xff;
                maxLabel = Math.max(maxLabel, labels[s][i]);
            }
        }
        if (options.size() == 0 && (dims[0][1] != dims[1][1] || dims[0][2] != dims[1][2])) {
            throw new EqntkException("IDX images of different sizes: " + f.get(0) + " and " + f.get(2));
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c <= maxLabel; c++) {
            classes.add(Integer.toString(c));
        }
        Assembler.Source[] src = new Assembler.Source[2];
        for (int s = 0; s < 2; s++) {
            src[s] = byteSource(images[s], dims[s], labels[s], classes, f.get(2 * s).getFileName().toString());
        }
        return Assembler.assemble(name, classes, src[0], null, src[1], options);
    }

    private static Assembler.Source byteSource(byte[] px, int[] d, int[] labels, List<String> classes, String id) {
        // convert lazily: only the selected images become doubles
        return new Assembler.Source() {
            public int size() {
                return d[0];
            }

            public int[] labels() {
                return labels;
            }

            public Path path(int i) {
                return null;
            }

            public ImageDecoder.Loaded load(int[] idx, LoadOptions o) {
                int s = d[1] * d[2];
                double[] sel = new double[idx.length * s];
                int[] l = new int[idx.length];
                for (int k = 0; k < idx.length; k++) {
                    for (int j = 0; j < s; j++) {
                        sel[k * s + j] = px[idx[k] * s + j] & 0xff;
                    }
                    l[k] = labels[idx[k]];
                }
                int[] local = new int[idx.length];
                for (int k = 0; k < idx.length; k++) {
                    local[k] = k;
                }
                Assembler.Source a = Assembler.arrays(sel, idx.length, d[1], d[2], 1, l, classes, id);
                ImageDecoder.Loaded r = a.load(local, o);
                List<String> ids = new ArrayList<>(idx.length);
                for (int k = 0; k < idx.length; k++) {
                    ids.add(id + "[" + idx[k] + "]");
                }
                Images im = r.images();
                return new ImageDecoder.Loaded(Images.wrap(im.count(), im.height(), im.width(), im.channels(),
                        im.rawData(), im.labels(), ids, classes), null);
            }
        };
    }

    private static Path find(Path dir, Pattern p, boolean required) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> m = s.filter(x -> p.matcher(x.getFileName().toString()).matches()).sorted().toList();
            if (m.size() > 1) {
                throw new EqntkException("folder " + dir + " has several IDX files matching " + p + ": " + m);
            }
            if (m.isEmpty()) {
                if (required) {
                    throw new EqntkException("folder " + dir + " has no IDX file matching " + p.pattern());
                }
                return null;
            }
            return m.get(0);
        } catch (IOException e) {
            throw new EqntkException("cannot list folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return new DataInputStream(raw);
    }

    private static int[] header(DataInputStream in, Path file) throws IOException {
        int magic = in.readInt();
        if ((magic >>> 16) != 0) {
            throw new EqntkException("not an IDX file (bad magic number): " + file);
        }
        int type = (magic >>> 8) & 0xff;
        int nd = magic & 0xff;
        if (type != 0x08) {
            throw new EqntkException("unsupported IDX data type 0x" + Integer.toHexString(type) + " in " + file
                    + " (only unsigned bytes)");
        }
        if (nd < 1 || nd > 4) {
            throw new EqntkException("IDX file " + file + " has " + nd + " dimensions");
        }
        int[] d = new int[nd];
        for (int i = 0; i < nd; i++) {
            d[i] = in.readInt();
            if (d[i] < 0) {
                throw new EqntkException("IDX file " + file + " has a negative dimension");
            }
        }
        return d;
    }

    private static byte[] readAll(Path file, int rank, int[] dimsOut) {
        try (DataInputStream in = open(file)) {
            int[] d = header(in, file);
            if (d.length != rank) {
                throw new EqntkException("IDX file " + file + " has " + d.length + " dimensions, expected " + rank);
            }
            long n = 1;
            for (int x : d) {
                n *= x;
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new EqntkException("IDX file " + file + " is too large");
            }
            byte[] b = new byte[(int) n];
            try {
                in.readFully(b);
            } catch (EOFException e) {
                throw new EqntkException("truncated IDX file " + file + ": expected " + n + " data bytes", e);
            }
            System.arraycopy(d, 0, dimsOut, 0, rank);
            return b;
        } catch (EOFException e) {
            throw new EqntkException("truncated IDX file " + file + " (ends inside the header)", e);
        } catch (IOException e) {
            throw new EqntkException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }
}
