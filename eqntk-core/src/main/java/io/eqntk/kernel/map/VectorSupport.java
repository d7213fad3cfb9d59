package io.eqntk.kernel.map;

/**
 * Whether the vectorised nonlinearity maps ({@link VectorNonlinearities}, built on the incubating
 * {@code jdk.incubator.vector} module) can be used. They need the JVM flag
 * {@code --add-modules jdk.incubator.vector} (the {@code eqntk} launcher and the build set it); without it, or
 * with {@code -Deqntk.vector=false}, the scalar maps run instead. This class never touches the module itself,
 * so it loads on any JVM.
 */
public final class VectorSupport {
    /** True when the vector module is present and not disabled. */
    public static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !"false".equalsIgnoreCase(System.getProperty("eqntk.vector"));

    /** Rows shorter than this stay on the scalar path. */
    public static final int MIN_LENGTH = 8;

    private VectorSupport() {
    }
}
