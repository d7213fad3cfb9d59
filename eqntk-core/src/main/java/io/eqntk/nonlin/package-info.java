/**
 * Pointwise nonlinearities and their Gaussian expectation maps: the {@link io.eqntk.nonlin.Activation} interface,
 * closed forms (ReLU, ABReLU/LeakyReLU, erf, GELU), and Gauss-Hermite quadrature
 * ({@link io.eqntk.nonlin.GaussHermite}, {@link io.eqntk.nonlin.GaussHermite2D}) as the numerical fallback for
 * any φ with φ' (tanh). Self-contained: depends on no other eqntk package. Formulas and measured accuracy:
 * docs/NONLINEARITIES.md.
 */
package io.eqntk.nonlin;
