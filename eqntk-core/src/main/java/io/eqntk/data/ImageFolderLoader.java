package io.eqntk.data;

import io.eqntk.EqntkException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Loads image folders in one of two layouts:
 * <ul>
 *   <li>class folders: {@code root/<class>/<image>} (NCT-CRC-HE-100K, MedNIST); all splits are carved;</li>
 *   <li>split folders: {@code root/train/<class>/<image>}, optional {@code valid/} (or {@code val/},
 *       {@code validation/}) and {@code test/} (PCam, idc-breast, CIFAR-10); missing splits are carved
 *       from train.</li>
 * </ul>
 * Images are PNG, JPEG, TIFF, BMP or GIF files. Class names are the sorted folder names of the training
 * split. Hidden files (starting with a dot) are ignored; any other non-image file, an empty class folder, a
 * nested folder inside a class folder, or a class in valid/test that is not in train is an error.
 */
public final class ImageFolderLoader implements DatasetLoader {
    static final Set<String> IMAGE_EXT = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif");

    /** The files of a folder dataset, found without decoding anything. */
    public record Listing(List<String> classNames, Map<String, List<Path>> files, Map<String, int[]> labels) {
        /** Whether the folder has the split (train, valid or test). */
        public boolean hasSplit(String split) {
            return files.containsKey(split);
        }

        /** Image count per class of a split. */
        public int[] classCounts(String split) {
            int[] c = new int[classNames.size()];
            int[] l = labels.get(split);
            if (l != null) {
                for (int v : l) {
                    c[v]++;
                }
            }
            return c;
        }

        /** Number of images in a split (0 when absent). */
        public int count(String split) {
            return files.containsKey(split) ? files.get(split).size() : 0;
        }
    }

    /** Whether a directory name is a split folder, and which split ("train", "valid", "test"); null otherwise. */
    static String splitOf(String dirName) {
        return switch (dirName.toLowerCase(Locale.ROOT)) {
            case "train", "training" -> Dataset.TRAIN;
            case "valid", "val", "validation" -> Dataset.VALID;
            case "test", "testing" -> Dataset.TEST;
            default -> null;
        };
    }

    /** Lists the folder dataset at {@code root} without decoding images. */
    public static Listing scan(Path root) {
        if (!Files.isDirectory(root)) {
            throw new EqntkException("image folder not found: " + root);
        }
        List<Path> dirs = subdirs(root);
        boolean splitLayout = dirs.stream().anyMatch(d -> splitOf(d.getFileName().toString()) != null);
        Map<String, Path> splitDirs = new LinkedHashMap<>();
        if (splitLayout) {
            for (Path d : dirs) {
                String s = splitOf(d.getFileName().toString());
                if (s == null) {
                    throw new EqntkException("folder " + root + " has split folders (train/valid/test) and also '"
                            + d.getFileName() + "', which is not a split name");
                }
                if (splitDirs.containsKey(s)) {
                    throw new EqntkException("folder " + root + " has two " + s + " folders: "
                            + splitDirs.get(s).getFileName() + " and " + d.getFileName());
                }
                splitDirs.put(s, d);
            }
            if (!splitDirs.containsKey(Dataset.TRAIN)) {
                throw new EqntkException("folder " + root + " has split folders but no train/ folder");
            }
            rejectLooseImages(root, "split folders");
        } else {
            if (dirs.isEmpty()) {
                throw new EqntkException("folder " + root + " has no class sub-folders (expected <class>/<image> "
                        + "or train/<class>/<image>)");
            }
            rejectLooseImages(root, "class folders");
            splitDirs.put(Dataset.TRAIN, root);
        }
        Map<String, Map<String, List<Path>>> perSplit = new LinkedHashMap<>();
        for (String s : List.of(Dataset.TRAIN, Dataset.VALID, Dataset.TEST)) {
            Path sd = splitDirs.get(s);
            if (sd == null) {
                continue;
            }
            Map<String, List<Path>> classes = new LinkedHashMap<>();
            List<Path> classDirs = subdirs(sd);
            if (classDirs.isEmpty()) {
                throw new EqntkException("split folder " + sd + " has no class sub-folders");
            }
            if (sd != root) {
                rejectLooseImages(sd, "class folders");
            }
            for (Path cd : classDirs) {
                classes.put(cd.getFileName().toString(), imagesIn(cd));
            }
            perSplit.put(s, classes);
        }
        List<String> classNames = new ArrayList<>(new TreeSet<>(perSplit.get(Dataset.TRAIN).keySet()));
        Map<String, List<Path>> files = new LinkedHashMap<>();
        Map<String, int[]> labels = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<Path>>> e : perSplit.entrySet()) {
            List<Path> f = new ArrayList<>();
            List<Integer> l = new ArrayList<>();
            for (String cls : new TreeSet<>(e.getValue().keySet())) {
                int idx = classNames.indexOf(cls);
                if (idx < 0) {
                    throw new EqntkException("class '" + cls + "' in " + splitDirs.get(e.getKey()).resolve(cls)
                            + " is not a class of the training split " + classNames);
                }
                for (Path p : e.getValue().get(cls)) {
                    f.add(p);
                    l.add(idx);
                }
            }
            files.put(e.getKey(), Collections.unmodifiableList(f));
            labels.put(e.getKey(), l.stream().mapToInt(Integer::intValue).toArray());
        }
        return new Listing(List.copyOf(classNames), Collections.unmodifiableMap(files), labels);
    }

    @Override
    public Dataset load(String name, Path source, LoadOptions options) {
        Listing l = scan(source);
        Assembler.Source[] s = new Assembler.Source[3];
        String[] names = {Dataset.TRAIN, Dataset.VALID, Dataset.TEST};
        for (int i = 0; i < 3; i++) {
            if (l.hasSplit(names[i])) {
                s[i] = Assembler.files(l.files().get(names[i]), l.labels().get(names[i]), l.classNames());
            }
        }
        return Assembler.assemble(name, l.classNames(), s[0], s[1], s[2], options);
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXT.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static List<Path> subdirs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        } catch (IOException e) {
            throw new EqntkException("cannot list folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void rejectLooseImages(Path dir, String expected) {
        try (Stream<Path> s = Files.list(dir)) {
            Path loose = s.filter(Files::isRegularFile).filter(ImageFolderLoader::isImage).sorted().findFirst()
                    .orElse(null);
            if (loose != null) {
                throw new EqntkException("image " + loose + " lies directly in " + dir + "; expected " + expected);
            }
        } catch (IOException e) {
            throw new EqntkException("cannot list folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> imagesIn(Path classDir) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(classDir)) {
            for (Path p : s.sorted().toList()) {
                if (hidden(p)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    throw new EqntkException("unexpected folder " + p + " inside class folder " + classDir);
                }
                if (!isImage(p)) {
                    throw new EqntkException("file " + p + " in class folder " + classDir + " is not an image ("
                            + "expected .png, .jpg, .jpeg, .tif, .tiff, .bmp or .gif)");
                }
                out.add(p);
            }
        } catch (IOException e) {
            throw new EqntkException("cannot list folder " + classDir + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new EqntkException("class folder " + classDir + " is empty");
        }
        return out;
    }
}
