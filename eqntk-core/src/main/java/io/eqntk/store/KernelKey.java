package io.eqntk.store;

import io.eqntk.EqntkException;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Everything that determines a kernel matrix, and so names its store entry: the kind (Gram or cross), the
 * canonical architecture string, the evaluation path (diagonal, slices or full blocks, which round
 * differently), SHA-256 fingerprints of the (already preprocessed) input images with their shape, the
 * precision the engine computed in (float64 or float32; blocks are stored as float64 either way) and the eqntk
 * version with the engine's numerics revision. The fingerprint covers every bit of every input value, so any change of
 * data or preprocessing (resizing, colour mode, standardisation, subset) gives a different key.
 *
 * @param colsFingerprint for a Gram matrix, equal to {@code rowsFingerprint}
 */
public record KernelKey(Kind kind, String architecture, String evaluation, String rowsFingerprint,
                        String colsFingerprint, int rows, int cols, int height, int width, int channels,
                        String precision, String version) implements Serializable {

    /** Gram matrix K(X, X) or cross matrix K(X1, X2). */
    public enum Kind { GRAM, CROSS }


    /** The version recorded in keys: the release and the engine's numerics revision. */
    private static final String VERSION = io.eqntk.Version.eqntk() + "+numerics." + KernelEngine.NUMERICS_REVISION;

    /** The key of the Gram matrix of {@code x} under {@code engine}. */
    public static KernelKey gram(KernelEngine engine, ImageBatch x) {
        String f = fingerprint(x);
        return new KernelKey(Kind.GRAM, engine.architecture().spec(), evaluation(engine), f, f, x.count(),
            x.count(), x.height(), x.width(), x.channels(), engine.precision().label(), VERSION);
    }

    /** The key of the cross matrix K(x1, x2) under {@code engine}. */
    public static KernelKey cross(KernelEngine engine, ImageBatch x1, ImageBatch x2) {
        x1.requireSameShape(x2, "x1", "x2");
        return new KernelKey(Kind.CROSS, engine.architecture().spec(), evaluation(engine), fingerprint(x1),
            fingerprint(x2), x1.count(), x2.count(), x1.height(), x1.width(), x1.channels(), engine.precision().label(),
            VERSION);
    }

    /** The eqntk version recorded in keys ("dev" when it cannot be read), with the numerics revision. */
    public static String eqntkVersion() {
        return VERSION;
    }

    private static String evaluation(KernelEngine engine) {
        return engine.evaluation().name().toLowerCase(Locale.ROOT);
    }

    /**
     * SHA-256 (hex) of an image batch: the shape [N, H, W, C] as four big-endian int32, then every value as
     * its IEEE-754 bit pattern (big-endian int64), in C order.
     */
    public static String fingerprint(ImageBatch x) {
        MessageDigest md = sha256();
        ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        head.putInt(x.count()).putInt(x.height()).putInt(x.width()).putInt(x.channels());
        md.update(head.array());
        ByteBuffer buf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.BIG_ENDIAN);
        for (double v : x.data()) {
            buf.putLong(Double.doubleToRawLongBits(v));
            if (!buf.hasRemaining()) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
        md.update(buf.array(), 0, buf.position());
        return HexFormat.of().formatHex(md.digest());
    }

    /** One line {@code name=value} per field, in a fixed order: what {@link #id()} hashes. */
    public String canonical() {
        return "kind=" + kind.name().toLowerCase(Locale.ROOT) + "\n"
            + "architecture=" + architecture + "\n"
            + "evaluation=" + evaluation + "\n"
            + "rowsFingerprint=" + rowsFingerprint + "\n"
            + "colsFingerprint=" + colsFingerprint + "\n"
            + "shape=" + rows + "x" + cols + "\n"
            + "image=" + height + "x" + width + "x" + channels + "\n"
            + "precision=" + precision + "\n"
            + "version=" + version + "\n";
    }

    /** The entry's name in the store: kind, then the first 32 hex digits of the SHA-256 of {@link #canonical()}. */
    public String id() {
        byte[] h = sha256().digest(canonical().getBytes(StandardCharsets.UTF_8));
        return kind.name().toLowerCase(Locale.ROOT) + "-" + HexFormat.of().formatHex(h).substring(0, 32);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
