/**
 * Using infinite-width kernels as predictors.
 *
 * <p>{@link io.eqntk.predict.KernelRegression} turns a train-train kernel into a reusable predictor: the mean of
 * an infinitely wide network trained by gradient flow on the mean squared error (use the NTK), or the Bayesian
 * posterior of the corresponding Gaussian process (use the NNGP; the posterior variance and covariance are only
 * meaningful with the NNGP). {@link io.eqntk.predict.Ridge} is the diagonal regulariser,
 * {@link io.eqntk.predict.Classification} converts labels to regression targets and back, and
 * {@link io.eqntk.predict.RidgeSelection} picks a ridge on a validation set.
 *
 * <p>All matrices are plain {@code double[]} in row-major order; their shapes are given by explicit counts and
 * checked on entry (a wrong length or a non-finite value is an {@link io.eqntk.EqntkException}).
 */
package io.eqntk.predict;
