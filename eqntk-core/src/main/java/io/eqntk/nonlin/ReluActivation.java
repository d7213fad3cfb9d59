package io.eqntk.nonlin;

/**
 * ReLU, max(x, 0), with the arc-cosine maps of KERNELS.md §2 (Cho and Saul): with
 * θ = atan2(sqrt(max(q11 q22 - q12^2, 0)), q12), Σ = (sqrt(q11 q22 - q12^2) + (π - θ) q12) / (2π) and
 * Σ̇ = (π - θ) / (2π). φ'(0) = 0; where a variance is 0, atan2(0, 0) = 0 gives Σ̇ = 1/2.
 */
public final class ReluActivation extends ClosedFormActivation {
    public static final ReluActivation INSTANCE = new ReluActivation();
    private static final double INV_2PI = 1 / (2 * Math.PI);

    private ReluActivation() {
    }

    @Override
    public String name() {
        return "relu";
    }

    @Override
    public double phi(double x) {
        return x > 0 ? x : 0;
    }

    @Override
    public double dphi(double x) {
        return x > 0 ? 1 : 0;
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        double s = Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0));
        return (s + (Math.PI - Math.atan2(s, q12)) * q12) * INV_2PI;
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        double s = Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0));
        return (Math.PI - Math.atan2(s, q12)) * INV_2PI;
    }

    @Override
    public double sigmaDiag(double q) {
        return 0.5 * q;
    }

    @Override
    public double sigmaDotDiag(double q) {
        return 0.5;
    }

    @Override
    public void expectations(double q11, double q22, double q12, double[] out, int offset) {
        double s = Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0));
        double angle = Math.PI - Math.atan2(s, q12);
        out[offset] = (s + angle * q12) * INV_2PI;
        out[offset + 1] = angle * INV_2PI;
    }

    @Override
    public String tunedMap() {
        return "relu";
    }
}
