/**
 * Pointwise nonlinearities and their Gaussian expectation maps: the {@link io.eqntk.nonlin.Activation} interface,
 * closed forms (ReLU, ABReLU/LeakyReLU/abs, erf, GELU, sin/cos/rbf, Gaussian, exp, sign, rectified monomials,
 * monomials and Hermite polynomials), named fallbacks (sigmoid, softplus, SiLU, ELU, tanh), Mehler's series
 * {@link io.eqntk.nonlin.HermiteSeries} (the engine's fast fallback), and quadrature on the Cholesky factor of the covariance as the
 * numerical fallback for any φ with φ' (tanh): {@link io.eqntk.nonlin.PolarQuadrature2D} (the default,
 * kink-aware) and {@link io.eqntk.nonlin.GaussHermite2D} (tensor Gauss-Hermite, on
 * {@link io.eqntk.nonlin.GaussHermite}). Self-contained: depends on no other eqntk package. Formulas and measured
 * accuracy: docs/NONLINEARITIES.md.
 */
package io.eqntk.nonlin;
