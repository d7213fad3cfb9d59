package io.eqntk.sphere;

/**
 * A rotation of R^3 as a 3 x 3 matrix, with its z-y-z Euler angles: R(α, β, γ) = Rz(α) Ry(β) Rz(γ). A point of
 * S^2 at colatitude θ and longitude φ is R(φ, θ, 0) e_z.
 */
public record Rotation(double[] m) {
    public Rotation {
        if (m.length != 9) {
            throw new IllegalArgumentException("a rotation matrix has 9 entries, got " + m.length);
        }
    }

    public static Rotation euler(double alpha, double beta, double gamma) {
        double ca = Math.cos(alpha), sa = Math.sin(alpha);
        double cb = Math.cos(beta), sb = Math.sin(beta);
        double cg = Math.cos(gamma), sg = Math.sin(gamma);
        return new Rotation(new double[] {
            ca * cb * cg - sa * sg, -ca * cb * sg - sa * cg, ca * sb,
            sa * cb * cg + ca * sg, -sa * cb * sg + ca * cg, sa * sb,
            -sb * cg, sb * sg, cb});
    }

    /** A rotation drawn from the Haar measure (a uniform unit quaternion). */
    public static Rotation random(java.util.Random rng) {
        double q0 = rng.nextGaussian(), q1 = rng.nextGaussian(), q2 = rng.nextGaussian(), q3 = rng.nextGaussian();
        double n = Math.sqrt(q0 * q0 + q1 * q1 + q2 * q2 + q3 * q3);
        q0 /= n;
        q1 /= n;
        q2 /= n;
        q3 /= n;
        return new Rotation(new double[] {
            1 - 2 * (q2 * q2 + q3 * q3), 2 * (q1 * q2 - q0 * q3), 2 * (q1 * q3 + q0 * q2),
            2 * (q1 * q2 + q0 * q3), 1 - 2 * (q1 * q1 + q3 * q3), 2 * (q2 * q3 - q0 * q1),
            2 * (q1 * q3 - q0 * q2), 2 * (q2 * q3 + q0 * q1), 1 - 2 * (q1 * q1 + q2 * q2)});
    }

    public Rotation times(Rotation o) {
        double[] r = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += m[3 * i + k] * o.m[3 * k + j];
                }
                r[3 * i + j] = s;
            }
        }
        return new Rotation(r);
    }

    public Rotation inverse() {
        return new Rotation(new double[] {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]});
    }

    public double[] apply(double[] v) {
        return new double[] {
            m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
            m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
            m[6] * v[0] + m[7] * v[1] + m[8] * v[2]};
    }

    /** The Euler angles {α, β, γ}; at the poles (β = 0 or π) γ is set to 0. */
    public double[] eulerAngles() {
        double beta = Math.acos(Math.max(-1, Math.min(1, m[8])));
        double sb = Math.hypot(m[2], m[5]);
        if (sb > 1e-12) {
            return new double[] {Math.atan2(m[5], m[2]), beta, Math.atan2(m[7], -m[6])};
        }
        if (m[8] > 0) {
            return new double[] {Math.atan2(m[3], m[0]), 0, 0};
        }
        return new double[] {Math.atan2(-m[1], m[4]), Math.PI, 0};
    }
}
