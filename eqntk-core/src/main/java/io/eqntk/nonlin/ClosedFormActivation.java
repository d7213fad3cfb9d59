package io.eqntk.nonlin;

/**
 * Base of the nonlinearities whose expectation maps are closed forms: subclasses override {@link #sigma} and
 * {@link #sigmaDot} (and usually {@link #expectations} and the diagonal maps); {@link #closedForm()} is true.
 */
public abstract class ClosedFormActivation implements Activation {

    @Override
    public abstract double sigma(double q11, double q22, double q12);

    @Override
    public abstract double sigmaDot(double q11, double q22, double q12);

    @Override
    public final boolean closedForm() {
        return true;
    }

    @Override
    public String toString() {
        return name();
    }
}
