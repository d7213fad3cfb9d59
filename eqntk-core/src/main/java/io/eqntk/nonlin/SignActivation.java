package io.eqntk.nonlin;

/**
 * sign(x) (sign(0) = 0), with the arcsine NNGP of a sign pair: Σ = (2/π) asin(q12 / sqrt(q11 q22)), computed as
 * (2/π) atan2(q12, s) with s = sqrt(max(q11 q22 - q12², 0)) (so a zero variance gives Σ = 0, as sign(0) = 0 does).
 * φ' = 0 almost everywhere: the finite network passes no gradient through it, so Σ̇ = 0 and the NTK keeps only
 * the layers above (the distributional derivative 2δ is not what gradient descent sees).
 */
public final class SignActivation extends ClosedFormActivation {
    public static final SignActivation INSTANCE = new SignActivation();
    private static final double TWO_OVER_PI = 2 / Math.PI;

    private SignActivation() {
    }

    @Override
    public String name() {
        return "sign";
    }

    @Override
    public double phi(double x) {
        return Math.signum(x);
    }

    @Override
    public double dphi(double x) {
        return 0;
    }

    @Override
    public double sigma(double q11, double q22, double q12) {
        return TWO_OVER_PI * Math.atan2(q12, Math.sqrt(Math.max(q11 * q22 - q12 * q12, 0)));
    }

    @Override
    public double sigmaDot(double q11, double q22, double q12) {
        return 0;
    }
}
