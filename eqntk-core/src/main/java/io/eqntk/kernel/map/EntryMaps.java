package io.eqntk.kernel.map;

import io.eqntk.nonlin.Activation;

/**
 * The engine's entry map for an activation: a hand-tuned vector map where one exists (ReLU's and erf's, tested
 * against the activation's own expectations), the series map for activations without a closed form, else the
 * default map built on {@link Activation#expectations}.
 */
public final class EntryMaps {
    private EntryMaps() {
    }

    public static Nonlinearity of(Activation phi) {
        String tuned = phi.tunedMap();
        if ("relu".equals(tuned)) {
            return ReluKernel.INSTANCE;
        }
        if ("erf".equals(tuned)) {
            return ErfKernel.INSTANCE;
        }
        // no closed form: Mehler's series in the correlation, the quadrature only where its bound is too loose
        return phi.closedForm() ? new ExpectationMap(phi) : new SeriesMap(phi);
    }
}
