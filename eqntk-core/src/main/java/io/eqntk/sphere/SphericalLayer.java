package io.eqntk.sphere;

import io.eqntk.nonlin.ErfActivation;
import io.eqntk.nonlin.ReluActivation;
import io.eqntk.EqntkException;


/**
 * The layers of a spherical group-convolutional network (docs/SO3_KERNELS.md). {@code wStd} is W_std,
 * {@code bStd} is b_std (0: no bias); NTK parameterisation throughout.
 */
public sealed interface SphericalLayer {
    /** Short name used in messages, e.g. {@code s2lift(6, 0.393)}. */
    String describe();

    /**
     * Lifting convolution S^2 -> SO(3): f(R) = W_std / sqrt(C n) sum_{c,i} w_{ci} (P x_c)(R ω_i) + b_std β, with
     * ω_i the n = nAlpha·nBeta points of {@link CapGrid#s2Cap} and P the projection on degrees below
     * {@code bandwidth}; output on the SO(3) grid of that bandwidth.
     */
    record S2Lift(int bandwidth, double maxBeta, double wStd, double bStd, int nAlpha, int nBeta)
        implements SphericalLayer {
        public S2Lift {
            check(describeLift(bandwidth, maxBeta), bandwidth, maxBeta, wStd, bStd, nAlpha, nBeta, 1);
        }

        public S2Lift(int bandwidth, double maxBeta) {
            this(bandwidth, maxBeta, 1, 0, 8, 3);
        }

        public String describe() {
            return describeLift(bandwidth, maxBeta);
        }

        private static String describeLift(int bandwidth, double maxBeta) {
            return "s2lift(" + bandwidth + ", " + num(maxBeta) + ")";
        }
    }

    /**
     * Group convolution SO(3) -> SO(3): g(R) = W_std / sqrt(C n) sum_{c,i} w_{ci} (P f_c)(R Q_i) + b_std β, with
     * Q_i the n = nAlpha·nBeta·nGamma rotations of {@link CapGrid#so3Cap}.
     */
    record So3Conv(int bandwidth, double maxBeta, double wStd, double bStd, int nAlpha, int nBeta, int nGamma)
        implements SphericalLayer {
        public So3Conv {
            check(describeConv(bandwidth, maxBeta), bandwidth, maxBeta, wStd, bStd, nAlpha, nBeta, nGamma);
        }

        public So3Conv(int bandwidth, double maxBeta) {
            this(bandwidth, maxBeta, 1, 0, 8, 3, 8);
        }

        public String describe() {
            return describeConv(bandwidth, maxBeta);
        }

        private static String describeConv(int bandwidth, double maxBeta) {
            return "so3conv(" + bandwidth + ", " + num(maxBeta) + ")";
        }
    }

    /** Haar mean over SO(3) by the grid's quadrature: an invariant vector. */
    record So3Pool() implements SphericalLayer {
        public String describe() {
            return "so3pool";
        }
    }

    /** The nonlinearities the spherical tests run through (any {@link io.eqntk.nonlin.Activation} works). */
    enum Nonlinearity {
        RELU(ReluActivation.INSTANCE), ERF(ErfActivation.INSTANCE);

        final io.eqntk.nonlin.Activation phi;

        Nonlinearity(io.eqntk.nonlin.Activation phi) {
            this.phi = phi;
        }

        public Activation layer() {
            return new Activation(phi);
        }
    }

    /**
     * A pointwise nonlinearity on grid samples (or on a vector): φ sample by sample, with the Gaussian
     * expectations of the same {@link io.eqntk.nonlin.Activation} that planar networks use.
     */
    record Activation(io.eqntk.nonlin.Activation phi) implements SphericalLayer {
        public Activation {
            java.util.Objects.requireNonNull(phi, "phi");
        }

        public String describe() {
            return phi.name();
        }

        public double apply(double u) {
            return phi.phi(u);
        }

        public double derivative(double u) {
            return phi.dphi(u);
        }

        /** Writes {E[φφ], E[φ'φ']} for the Gaussian pair of covariance [[q11, q12], [q12, q22]] into out. */
        public void expectations(double q11, double q22, double q12, double[] out) {
            phi.expectations(q11, q22, q12, out, 0);
        }
    }

    /** Dense layer on a vector. */
    record Dense(double wStd, double bStd) implements SphericalLayer {
        public Dense {
            if (!(wStd > 0) || !(bStd >= 0) || !Double.isFinite(wStd) || !Double.isFinite(bStd)) {
                throw new EqntkException("dense: w= must be positive and b= non-negative, got w=" + wStd
                    + ", b=" + bStd);
            }
        }

        public Dense() {
            this(1, 0);
        }

        public String describe() {
            return "dense";
        }
    }

    static SphericalLayer relu() {
        return Nonlinearity.RELU.layer();
    }

    static SphericalLayer erf() {
        return Nonlinearity.ERF.layer();
    }

    /** A number as the architecture string writes it: whole numbers without a decimal point. */
    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static void check(String name, int bandwidth, double maxBeta, double wStd, double bStd, int nAlpha,
                              int nBeta, int nGamma) {
        if (bandwidth < 1 || bandwidth > 64) {
            throw new EqntkException(name + ": bandwidth L_out must be between 1 and 64, got " + bandwidth);
        }
        if (!(maxBeta > 0 && maxBeta <= Math.PI)) {
            throw new EqntkException(name + ": max_beta must lie in (0, pi], got " + maxBeta);
        }
        if (!(wStd > 0) || !(bStd >= 0) || !Double.isFinite(wStd) || !Double.isFinite(bStd)) {
            throw new EqntkException(name + ": w= must be positive and b= non-negative, got w=" + wStd
                + ", b=" + bStd);
        }
        if (nAlpha < 1 || nBeta < 1 || nGamma < 1 || (long) nAlpha * nBeta * nGamma > 4096) {
            throw new EqntkException(name + ": filter grid sizes must be positive with at most 4096 points, got "
                + nAlpha + " x " + nBeta + " x " + nGamma);
        }
    }
}
