package io.eqntk.data;

import io.eqntk.EqntkException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Decodes image files (PNG, JPEG, TIFF, BMP, GIF through javax.imageio) in parallel, converting colour and
 * resizing each image right after decoding so that full-size originals are not kept.
 */
final class ImageDecoder {
    static {
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {
    }

    /** One decoded image: pixels [h,w,c] in 0..255, and the SHA-256 of its file bytes. */
    record Decoded(int h, int w, int c, double[] px, String hash) {
    }

    /** A batch of decoded images with the content hash of each source file. */
    record Loaded(Images images, String[] hashes) {
    }

    static Loaded decodeAll(List<Path> files, int[] labels, List<String> ids, List<String> classNames,
                            LoadOptions o) {
        int n = files.size();
        Decoded[] out = new Decoded[n];
        RuntimeException[] errors = new RuntimeException[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                out[i] = decode(files.get(i), o);
            } catch (EqntkException e) {
                errors[i] = e;
            } catch (RuntimeException e) {
                errors[i] = new EqntkException("cannot decode image " + files.get(i) + ": " + e, e);
            }
        });
        for (RuntimeException e : errors) {
            if (e != null) {
                throw e; // the first failing file in list order, so the message is deterministic
            }
        }
        return new Loaded(pack(out, labels, ids, classNames, o, i -> files.get(i).toString()), hashes(out));
    }

    private static String[] hashes(Decoded[] d) {
        String[] h = new String[d.length];
        for (int i = 0; i < d.length; i++) {
            h[i] = d[i].hash();
        }
        return h;
    }

    interface Namer {
        String name(int i);
    }

    /**
     * Packs per-image pixel arrays into one batch: checks equal sizes, promotes gray to RGB when channels are
     * mixed (KEEP mode), scales to [0,1] when asked.
     */
    static Images pack(Decoded[] imgs, int[] labels, List<String> ids, List<String> classNames, LoadOptions o,
                       Namer namer) {
        int n = imgs.length;
        if (n == 0) {
            int s = Math.max(o.size(), 1);
            int c = o.colorMode() == ColorMode.GRAYSCALE ? 1 : 3;
            return Images.wrap(0, s, s, c, new double[0], labels == null ? null : new int[0], List.of(), classNames);
        }
        int h = imgs[0].h();
        int w = imgs[0].w();
        int c = 1;
        for (int i = 0; i < n; i++) {
            Decoded d = imgs[i];
            if (d.h() != h || d.w() != w) {
                throw new EqntkException("images of different sizes and no resize requested: " + namer.name(i)
                        + " is " + d.w() + "x" + d.h() + " but " + namer.name(0) + " is " + w + "x" + h
                        + " (set an image size to resize)");
            }
            c = Math.max(c, d.c());
        }
        int s = h * w * c;
        double[] data = new double[n * s];
        double scale = o.scaleToUnit() ? 1.0 / 255.0 : 1.0;
        for (int i = 0; i < n; i++) {
            double[] px = imgs[i].c() == c ? imgs[i].px() : Preprocess.toRgb(imgs[i].px(), h, w, imgs[i].c());
            int off = i * s;
            for (int k = 0; k < s; k++) {
                data[off + k] = px[k] * scale;
            }
            imgs[i] = new Decoded(h, w, c, null, imgs[i].hash()); // release the pixels early
        }
        return Images.wrap(n, h, w, c, data, labels, ids, classNames);
    }

    /** Colour conversion and resizing of one [h,w,c] image according to the options. */
    static Decoded finish(int h, int w, int c, double[] px, String hash, LoadOptions o) {
        switch (o.colorMode()) {
            case GRAYSCALE -> {
                if (c != 1) {
                    px = Preprocess.toGray(px, h, w, c);
                    c = 1;
                }
            }
            case RGB -> {
                if (c != 3) {
                    px = Preprocess.toRgb(px, h, w, c);
                    c = 3;
                }
            }
            case KEEP -> {
            }
        }
        int crop = o.cropCenter();
        if (crop > 0) {
            if (crop > h || crop > w) {
                throw new EqntkException("--crop-center " + crop + " is larger than the " + w + "x" + h + " image");
            }
            px = Preprocess.cropCenter(px, h, w, c, crop);
            h = crop;
            w = crop;
        }
        if (o.size() > 0 && (h != o.size() || w != o.size())) {
            px = Preprocess.resizeArea(px, h, w, c, o.size(), o.size());
            h = o.size();
            w = o.size();
        }
        return new Decoded(h, w, c, px, hash);
    }

    static Decoded decode(Path file, LoadOptions o) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EqntkException("image file not found: " + file, e);
        } catch (IOException e) {
            throw new EqntkException("cannot read image " + file + ": " + io.eqntk.io.AtomicFiles.reason(e), e);
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new EqntkException("unreadable image " + file + ": not a PNG, JPEG, TIFF, BMP or GIF file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // the header's size is checked before any pixel is decoded: a small file can claim a huge image
                checkSize(file, reader.getWidth(0), reader.getHeight(0), o);
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (EqntkException e) {
            throw e; // already names the file and what is wrong
        } catch (IOException | RuntimeException e) {
            throw new EqntkException("corrupt or unreadable image " + file + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        int h = img.getHeight();
        int w = img.getWidth();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        double[] px;
        int c;
        if (!(cm instanceof IndexColorModel) && cm.getNumColorComponents() == 1) {
            c = 1;
            int bits = cm.getComponentSize(0);
            double f = bits == 8 ? 1.0 : 255.0 / ((1L << bits) - 1);
            px = new double[h * w];
            r.getSamples(0, 0, w, h, 0, px);
            if (f != 1.0) {
                for (int i = 0; i < px.length; i++) {
                    px[i] *= f;
                }
            }
        } else if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_RGB
                && cm.getNumColorComponents() == 3 && cm.getComponentSize(0) == 8 && r.getNumBands() >= 3) {
            c = 3;
            int bands = r.getNumBands();
            int[] all = r.getPixels(0, 0, w, h, (int[]) null);
            px = new double[h * w * 3];
            for (int p = 0; p < h * w; p++) {
                px[3 * p] = all[p * bands];
                px[3 * p + 1] = all[p * bands + 1];
                px[3 * p + 2] = all[p * bands + 2];
            }
        } else {
            // palettes, 16-bit colour, CMYK and other models: let Java2D convert to 8-bit sRGB
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            boolean gray = true;
            for (int v : argb) {
                int rr = (v >> 16) & 0xff;
                if (rr != ((v >> 8) & 0xff) || rr != (v & 0xff)) {
                    gray = false;
                    break;
                }
            }
            c = gray && cm instanceof IndexColorModel ? 1 : 3;
            px = new double[h * w * c];
            for (int p = 0; p < h * w; p++) {
                int v = argb[p];
                if (c == 1) {
                    px[p] = v & 0xff;
                } else {
                    px[3 * p] = (v >> 16) & 0xff;
                    px[3 * p + 1] = (v >> 8) & 0xff;
                    px[3 * p + 2] = v & 0xff;
                }
            }
        }
        return finish(h, w, c, px, sha256(bytes), o);
    }

    /** The most pixels one image may have to be decoded at all (each decoded pixel takes up to 24 bytes). */
    static final long MAX_DECODED_PIXELS = 1L << 25;

    /**
     * Refuses an image, from its header, that kernels could not use at its native size (no --image-size and no
     * crop: the engine's limit per side) or that is too large to decode.
     */
    private static void checkSize(Path file, int w, int h, LoadOptions o) {
        if (o.size() == 0 && o.cropCenter() == 0
                && (w > Images.MAX_SIDE || h > Images.MAX_SIDE)) {
            throw new EqntkException("image " + file + " is " + w + "x" + h + ", above the limit of "
                    + Images.MAX_SIDE + " per side at native size (resize with --image-size)");
        }
        if ((long) w * h > MAX_DECODED_PIXELS) {
            throw new EqntkException("image " + file + " is " + w + "x" + h + " = " + (long) w * h
                    + " pixels, above the decoding limit of " + MAX_DECODED_PIXELS + " pixels per image");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
