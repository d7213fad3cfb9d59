package io.eqntk.model;

import io.eqntk.EqntkException;

/** An invalid architecture string or a layer that does not fit its input; the message points at the layer. */
public class ArchitectureException extends EqntkException {
    public ArchitectureException(String message) {
        super(message);
    }
}
