package io.eqntk.nonlin;

/** Placeholder until the quadrature lands (replaced by the nonlin branch). */
public final class GaussHermite2D {
    private static final GaussHermite2D STANDARD = new GaussHermite2D();

    public static GaussHermite2D standard() {
        return STANDARD;
    }

    public double phiPhi(Activation f, double q11, double q22, double q12) {
        throw new UnsupportedOperationException("quadrature not yet available");
    }

    public double dphiDphi(Activation f, double q11, double q22, double q12) {
        throw new UnsupportedOperationException("quadrature not yet available");
    }
}
