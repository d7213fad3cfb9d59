package io.eqntk.io;

import io.eqntk.EqntkException;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files.
 *
 * <p>Reading supports format versions 1.0, 2.0 and 3.0 and the dtypes float64, float32, int8, int16, int32,
 * int64, uint8, uint16, uint32, uint64 and bool, little- or big-endian. Arrays stored with
 * {@code fortran_order: True} are transposed into C order. All values are converted to double (int64 and
 * uint64 values above 2^53 lose precision). Writing always produces version 1.0, dtype {@code <f8}, C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * Reads an {@code .npy} file.
     *
     * @throws EqntkException naming the file when it is missing, is not an NPY file, has an unsupported
     *                        dtype or is truncated
     */
    public static NdArray read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new EqntkException("NPY file not found: " + file, e);
        } catch (IOException e) {
            throw new EqntkException("cannot read NPY file " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    /**
     * Reads one array from a stream positioned at the start of NPY data (for example an npz entry).
     *
     * @param name the name used in error messages (a file name, or {@code archive.npz:entry})
     */
    public static NdArray read(InputStream in, String name) throws IOException {
        byte[] pre = new byte[8];
        int got = readFully(in, pre);
        if (got < 8 || !startsWithMagic(pre)) {
            throw new EqntkException("not an NPY file (bad magic bytes): " + name);
        }
        int major = pre[6] & 0xff;
        int minor = pre[7] & 0xff;
        long headerLen;
        if (major == 1) {
            byte[] b = new byte[2];
            if (readFully(in, b) < 2) {
                throw truncated(name, "header length");
            }
            headerLen = (b[0] & 0xff) | ((b[1] & 0xff) << 8);
        } else if (major == 2 || major == 3) {
            byte[] b = new byte[4];
            if (readFully(in, b) < 4) {
                throw truncated(name, "header length");
            }
            headerLen = (b[0] & 0xffL) | ((b[1] & 0xffL) << 8) | ((b[2] & 0xffL) << 16) | ((b[3] & 0xffL) << 24);
        } else {
            throw new EqntkException("unsupported NPY format version " + major + "." + minor + " in " + name);
        }
        if (headerLen > 10_000_000) {
            throw new EqntkException("NPY header of " + name + " is implausibly long (" + headerLen + " bytes)");
        }
        byte[] hb = new byte[(int) headerLen];
        if (readFully(in, hb) < hb.length) {
            throw truncated(name, "header");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher md = DESCR.matcher(header);
        if (!md.find()) {
            throw new EqntkException("unsupported dtype in " + name + " (structured or missing descr): "
                    + header.trim());
        }
        String descr = md.group(1);
        Matcher mf = FORTRAN.matcher(header);
        if (!mf.find()) {
            throw new EqntkException("NPY header of " + name + " has no fortran_order: " + header.trim());
        }
        boolean fortran = mf.group(1).equals("True");
        Matcher ms = SHAPE.matcher(header);
        if (!ms.find()) {
            throw new EqntkException("NPY header of " + name + " has no shape: " + header.trim());
        }
        int[] shape = parseShape(ms.group(1), name);

        Dtype dt = Dtype.parse(descr, name);
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        if (count * dt.size > Integer.MAX_VALUE - 8) {
            throw new EqntkException("array in " + name + " is too large to read (" + count + " elements)");
        }
        byte[] raw = new byte[(int) (count * dt.size)];
        int n = readFully(in, raw);
        if (n < raw.length) {
            throw new EqntkException("truncated NPY data in " + name + ": expected " + raw.length
                    + " bytes of " + descr + " data for shape " + shapeString(shape) + ", found " + n);
        }
        double[] values = dt.decode(raw, (int) count);
        if (fortran && shape.length > 1) {
            values = fortranToC(values, shape);
        }
        return new NdArray(shape, values);
    }

    /** Writes a float64 ({@code <f8}), C-order, version 1.0 NPY file atomically. */
    public static void write(Path file, NdArray array) {
        AtomicFiles.write(file, out -> write(out, array));
    }

    /** Writes a float64 ({@code <f8}), C-order, version 1.0 NPY stream. */
    public static void write(OutputStream out, NdArray array) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shapeString(array.shape()) + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        StringBuilder h = new StringBuilder(dict);
        h.append(" ".repeat(pad)).append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (hb.length > 65535) {
            throw new EqntkException("array shape " + shapeString(array.shape()) + " is too long for an NPY header");
        }
        DataOutputStream dos = new DataOutputStream(out);
        dos.write(MAGIC);
        dos.write(1);
        dos.write(0);
        dos.write(hb.length & 0xff);
        dos.write((hb.length >>> 8) & 0xff);
        dos.write(hb);
        double[] d = array.data();
        ByteBuffer buf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < d.length; i++) {
            buf.putDouble(d[i]);
            if (!buf.hasRemaining()) {
                dos.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
        dos.write(buf.array(), 0, buf.position());
        dos.flush();
    }

    static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    private static int[] parseShape(String s, String name) {
        String[] parts = s.split(",");
        int k = 0;
        int[] tmp = new int[parts.length];
        for (String p : parts) {
            String t = p.trim();
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1);
            }
            if (t.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(t);
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                tmp[k++] = (int) v;
            } catch (NumberFormatException e) {
                throw new EqntkException("bad shape '(" + s + ")' in NPY header of " + name);
            }
        }
        int[] shape = new int[k];
        System.arraycopy(tmp, 0, shape, 0, k);
        return shape;
    }

    private static double[] fortranToC(double[] f, int[] shape) {
        int r = shape.length;
        int[] fstride = new int[r];
        int s = 1;
        for (int i = 0; i < r; i++) {
            fstride[i] = s;
            s *= shape[i];
        }
        double[] c = new double[f.length];
        int[] idx = new int[r];
        int foff = 0;
        for (int ci = 0; ci < c.length; ci++) {
            c[ci] = f[foff];
            // increment the C-order multi-index (last axis fastest), keeping the Fortran offset in step
            for (int ax = r - 1; ax >= 0; ax--) {
                idx[ax]++;
                foff += fstride[ax];
                if (idx[ax] < shape[ax]) {
                    break;
                }
                foff -= fstride[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
        return c;
    }

    private static boolean startsWithMagic(byte[] b) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static int readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n;
            try {
                n = in.read(b, off, b.length - off);
            } catch (EOFException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            off += n;
        }
        return off;
    }

    private static EqntkException truncated(String name, String what) {
        return new EqntkException("truncated NPY file " + name + ": it ends inside the " + what);
    }

    private enum Kind { FLOAT, INT, UINT, BOOL }

    private static final class Dtype {
        final Kind kind;
        final int size;
        final ByteOrder order;

        private Dtype(Kind kind, int size, ByteOrder order) {
            this.kind = kind;
            this.size = size;
            this.order = order;
        }

        static Dtype parse(String descr, String name) {
            if (descr.length() < 2) {
                throw unsupported(descr, name);
            }
            char bo = descr.charAt(0);
            String rest = descr;
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (bo == '<' || bo == '|' || bo == '=') {
                rest = descr.substring(1);
                if (bo == '=') {
                    order = ByteOrder.nativeOrder();
                }
            } else if (bo == '>') {
                rest = descr.substring(1);
                order = ByteOrder.BIG_ENDIAN;
            }
            if (rest.length() < 2) {
                throw unsupported(descr, name);
            }
            char k = rest.charAt(0);
            int size;
            try {
                size = Integer.parseInt(rest.substring(1));
            } catch (NumberFormatException e) {
                throw unsupported(descr, name);
            }
            Kind kind = switch (k) {
                case 'f' -> (size == 4 || size == 8) ? Kind.FLOAT : null;
                case 'i' -> (size == 1 || size == 2 || size == 4 || size == 8) ? Kind.INT : null;
                case 'u' -> (size == 1 || size == 2 || size == 4 || size == 8) ? Kind.UINT : null;
                case 'b' -> size == 1 ? Kind.BOOL : null;
                default -> null;
            };
            if (kind == null) {
                throw unsupported(descr, name);
            }
            return new Dtype(kind, size, order);
        }

        static EqntkException unsupported(String descr, String name) {
            return new EqntkException("unsupported dtype '" + descr + "' in " + name
                    + " (supported: float64, float32, int8/16/32/64, uint8/16/32/64, bool)");
        }

        double[] decode(byte[] raw, int n) {
            double[] out = new double[n];
            ByteBuffer bb = ByteBuffer.wrap(raw).order(order);
            switch (kind) {
                case FLOAT -> {
                    if (size == 8) {
                        bb.asDoubleBuffer().get(out);
                    } else {
                        var fb = bb.asFloatBuffer();
                        for (int i = 0; i < n; i++) {
                            out[i] = fb.get(i);
                        }
                    }
                }
                case BOOL -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = raw[i] != 0 ? 1.0 : 0.0;
                    }
                }
                case INT -> {
                    switch (size) {
                        case 1 -> {
                            for (int i = 0; i < n; i++) {
                                out[i] = raw[i];
                            }
                        }
                        case 2 -> {
                            var sb = bb.asShortBuffer();
                            for (int i = 0; i < n; i++) {
                                out[i] = sb.get(i);
                            }
                        }
                        case 4 -> {
                            var ib = bb.asIntBuffer();
                            for (int i = 0; i < n; i++) {
                                out[i] = ib.get(i);
                            }
                        }
                        default -> {
                            var lb = bb.asLongBuffer();
                            for (int i = 0; i < n; i++) {
                                out[i] = lb.get(i);
                            }
                        }
                    }
                }
                case UINT -> {
                    switch (size) {
                        case 1 -> {
                            for (int i = 0; i < n; i++) {
                                out[i] = raw[i] & 0xff;
                            }
                        }
                        case 2 -> {
                            var sb = bb.asShortBuffer();
                            for (int i = 0; i < n; i++) {
                                out[i] = sb.get(i) & 0xffff;
                            }
                        }
                        case 4 -> {
                            var ib = bb.asIntBuffer();
                            for (int i = 0; i < n; i++) {
                                out[i] = ib.get(i) & 0xffffffffL;
                            }
                        }
                        default -> {
                            var lb = bb.asLongBuffer();
                            for (int i = 0; i < n; i++) {
                                long v = lb.get(i);
                                out[i] = v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
            return out;
        }
    }
}
