package io.eqntk.layer;

import io.eqntk.model.KernelOp;

import java.util.List;

/**
 * A layer made of parallel branches of layers ({@code res}, {@code sum}, {@code concat}): what the architecture's
 * checks need to walk into it, without knowing the class that implements it.
 */
public interface ParallelLayer extends Layer {
    /** The branches, each a serial stack of layers (an empty one is the identity). */
    List<List<Layer>> branches();

    /** How the branches' outputs combine. */
    KernelOp.Combine combine();

    /** How messages name branch b: as written in the spec. */
    String branchLabel(int b);
}
