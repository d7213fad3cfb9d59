package io.eqntk.sphere;

import io.eqntk.EqntkException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Spherical MNIST (Cohen et al., Spherical CNNs, 2018) from the MNIST IDX files: a digit is placed on the sphere
 * by the stereographic projection from the south pole, (u, v) = (x, y)/(1 + z), the 28 x 28 image covering
 * [-1, 1]^2 (bilinear interpolation, zero outside), sampled on the S^2 grid. A rotated digit reads the image at
 * g^-1 ω for a Haar-random g (exact geometry). Protocols: NR/R (training unrotated, test rotated) and R/R (both).
 */
public final class SphericalMnist {
    /** One digit on the sphere. */
    public record Sample(SphereSignal signal, int label) {
    }

    private SphericalMnist() {
    }

    /**
     * {@code count} digits of a split ("train" or "test"), a seeded random choice, each on the S^2 grid of the
     * given bandwidth, rotated by its own Haar-random rotation when {@code rotate}.
     */
    public static List<Sample> load(Path mnistDir, String split, int count, int bandwidth, boolean rotate, long seed) {
        String prefix = switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new EqntkException("spherical MNIST: split must be train or test, got '" + split + "'");
        };
        Path images = pick(mnistDir, prefix + "-images-idx3-ubyte");
        Path labels = pick(mnistDir, prefix + "-labels-idx1-ubyte");
        byte[][] pix = readImages(images);
        byte[] lab = readLabels(labels, pix.length);
        if (count < 1 || count > pix.length) {
            throw new EqntkException("spherical MNIST: count must be between 1 and " + pix.length + ", got " + count);
        }
        Random rng = new Random(seed);
        int[] order = new int[pix.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = 0; i < count; i++) { // partial Fisher-Yates: the first count entries are a uniform choice
            int j = i + rng.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        S2Transform grid = new S2Transform(bandwidth);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Rotation g = rotate ? Rotation.random(rng) : null;
            out.add(new Sample(project(pix[order[i]], grid, g), lab[order[i]]));
        }
        return out;
    }

    static SphereSignal project(byte[] image, S2Transform grid, Rotation g) {
        Rotation inv = g == null ? null : g.inverse();
        double[] x = new double[grid.gridSize()];
        for (int i = 0; i < x.length; i++) {
            double[] w = grid.point(i);
            if (inv != null) {
                w = inv.apply(w);
            }
            if (w[2] <= -0.999) {
                continue;
            }
            double u = w[0] / (1 + w[2]), v = w[1] / (1 + w[2]);
            x[i] = bilinear(image, (u + 1) / 2 * 28 - 0.5, (1 - v) / 2 * 28 - 0.5);
        }
        return new SphereSignal(grid.bandwidth(), new double[][] {x});
    }

    private static double bilinear(byte[] image, double col, double row) {
        int c0 = (int) Math.floor(col), r0 = (int) Math.floor(row);
        double fc = col - c0, fr = row - r0;
        return (1 - fr) * ((1 - fc) * pixel(image, r0, c0) + fc * pixel(image, r0, c0 + 1))
            + fr * ((1 - fc) * pixel(image, r0 + 1, c0) + fc * pixel(image, r0 + 1, c0 + 1));
    }

    private static double pixel(byte[] image, int r, int c) {
        return r < 0 || r >= 28 || c < 0 || c >= 28 ? 0 : (image[r * 28 + c] & 0xff) / 255.0;
    }

    private static Path pick(Path dir, String stem) {
        for (String name : new String[] {stem + ".gz", stem}) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new EqntkException("spherical MNIST: " + dir.resolve(stem) + "(.gz) not found");
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in);
    }

    private static byte[][] readImages(Path file) {
        try (DataInputStream in = open(file)) {
            if (in.readInt() != 0x803) {
                throw new EqntkException(file + ": not an IDX image file (magic number)");
            }
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (rows != 28 || cols != 28) {
                throw new EqntkException(file + ": images are " + rows + "x" + cols + ", spherical MNIST needs 28x28");
            }
            byte[][] out = new byte[n][784];
            for (byte[] img : out) {
                in.readFully(img);
            }
            return out;
        } catch (IOException e) {
            throw new EqntkException(file + ": cannot read IDX images: " + e.getMessage(), e);
        }
    }

    private static byte[] readLabels(Path file, int n) {
        try (DataInputStream in = open(file)) {
            if (in.readInt() != 0x801 || in.readInt() != n) {
                throw new EqntkException(file + ": not an IDX label file for " + n + " images");
            }
            byte[] out = new byte[n];
            in.readFully(out);
            return out;
        } catch (IOException e) {
            throw new EqntkException(file + ": cannot read IDX labels: " + e.getMessage(), e);
        }
    }
}
