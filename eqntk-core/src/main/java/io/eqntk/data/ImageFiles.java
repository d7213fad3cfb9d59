package io.eqntk.data;

import io.eqntk.EqntkException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Images to apply a fitted model to, without any splitting: one image file, a folder of image files (unlabelled),
 * or a folder of class folders {@code DIR/<class>/<image>} (labelled by the folder names, sorted). Decoded,
 * cropped, resized and colour-converted like a dataset ({@link LoadOptions}); not standardised.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    public static Images load(Path p, LoadOptions o) {
        if (Files.isRegularFile(p)) {
            if (!ImageFolderLoader.isImage(p)) {
                throw new EqntkException(p + " is not an image (expected .png, .jpg, .jpeg, .tif, .tiff, .bmp or .gif)");
            }
            return ImageDecoder.decodeAll(List.of(p), null, List.of(p.toString()), List.of(), o).images();
        }
        if (!Files.isDirectory(p)) {
            throw new EqntkException("image file or folder not found: " + p);
        }
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (Path e : list(p)) {
            if (Files.isDirectory(e)) {
                dirs.add(e);
            } else if (ImageFolderLoader.isImage(e)) {
                files.add(e);
            }
        }
        if (!files.isEmpty() && !dirs.isEmpty()) {
            throw new EqntkException("folder " + p + " has both images and sub-folders; give a folder of images or a"
                + " folder of class folders");
        }
        if (dirs.isEmpty()) {
            if (files.isEmpty()) {
                throw new EqntkException("folder " + p + " has no images");
            }
            return ImageDecoder.decodeAll(files, null, ids(files), List.of(), o).images();
        }
        List<String> classes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path d : dirs) {
            String name = d.getFileName().toString();
            if (ImageFolderLoader.splitOf(name) != null) {
                throw new EqntkException("folder " + p + " has split folders (" + name + "); give one split, for "
                    + "example " + p.resolve(name));
            }
            int before = files.size();
            for (Path f : list(d)) {
                if (Files.isDirectory(f)) {
                    throw new EqntkException("unexpected folder " + f + " inside class folder " + d);
                }
                if (ImageFolderLoader.isImage(f)) {
                    files.add(f);
                    labels.add(classes.size());
                }
            }
            if (files.size() == before) {
                throw new EqntkException("class folder " + d + " has no images");
            }
            classes.add(name);
        }
        return ImageDecoder.decodeAll(files, labels.stream().mapToInt(Integer::intValue).toArray(), ids(files),
            classes, o).images();
    }

    private static List<String> ids(List<Path> files) {
        return files.stream().map(Path::toString).toList();
    }

    /** The non-hidden entries of a folder, sorted. */
    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(e -> !e.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new EqntkException("cannot list folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
