/* The Fréchet distance between two Gaussians fitted to feature sets (as FID does, in the
 * project's own classifier space): |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)). The square
 * root's trace comes from symmetric eigendecompositions (LAPACK dsyev): with
 * S1 = V L V^T and R = V L^(1/2) V^T, tr (S1 S2)^(1/2) = sum sqrt(eig(R S2 R)). */
#ifndef MONOFLOW_FRECHET_H
#define MONOFLOW_FRECHET_H

#include <stddef.h>

#include "monoflow/status.h"

/* mean (d) and covariance (d x d, divided by n - 1) of n rows of d floats */
mf_status mf_moments(const float *x, size_t n, int d, double *mean, double *cov);

/* the squared Fréchet distance of (mu1, s1) and (mu2, s2), d-dimensional */
mf_status mf_frechet(const double *mu1, const double *s1, const double *mu2, const double *s2,
                     int d, double *out);

#endif
