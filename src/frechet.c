#include "monoflow/frechet.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

mf_status mf_moments(const float *x, size_t n, int d, double *mean, double *cov) {
    if (n < 2) return mf_fail(MF_ERR_ARG, "moments need at least 2 samples, got %zu", n);
    memset(mean, 0, sizeof(double) * d);
    memset(cov, 0, sizeof(double) * d * d);
    for (size_t i = 0; i < n; i++)
        for (int a = 0; a < d; a++) mean[a] += x[i * d + a];
    for (int a = 0; a < d; a++) mean[a] /= (double)n;
    double *row = malloc(sizeof(double) * d);
    if (!row) return mf_fail(MF_ERR_NOMEM, "out of host memory");
    for (size_t i = 0; i < n; i++) {
        for (int a = 0; a < d; a++) row[a] = x[i * d + a] - mean[a];
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++) cov[a * d + b] += row[a] * row[b];
    }
    for (int a = 0; a < d; a++)
        for (int b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= (double)(n - 1);
    free(row);
    return MF_OK;
}

/* eigenvalues into w, eigenvectors into the columns of a (row-major d x d), in place */
static mf_status eig(double *a, int d, double *w) {
    lapack_int info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', d, a, d, w);
    if (info != 0) return mf_fail(MF_ERR_ARG, "the eigendecomposition failed (dsyev %d)", (int)info);
    return MF_OK;
}

/* c = a b, d x d row-major */
static void matmul(const double *a, const double *b, double *c, int d) {
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += a[i * d + k] * b[k * d + j];
            c[i * d + j] = s;
        }
}

mf_status mf_frechet(const double *mu1, const double *s1, const double *mu2, const double *s2,
                     int d, double *out) {
    if (d < 1) return mf_fail(MF_ERR_ARG, "the Fréchet distance needs a dimension >= 1");
    size_t dd = (size_t)d * d;
    double *v = malloc(sizeof(double) * dd), *r = malloc(sizeof(double) * dd);
    double *t = malloc(sizeof(double) * dd), *w = malloc(sizeof(double) * d);
    mf_status st = v && r && t && w ? MF_OK : mf_fail(MF_ERR_NOMEM, "out of host memory");
    if (st == MF_OK) {
        memcpy(v, s1, sizeof(double) * dd);
        st = eig(v, d, w);
    }
    if (st == MF_OK) { /* r = V L^(1/2) V^T */
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += v[i * d + k] * sqrt(fmax(w[k], 0)) * v[j * d + k];
                r[i * d + j] = s;
            }
        matmul(r, s2, t, d);
        matmul(t, r, v, d);
        st = eig(v, d, w);
    }
    if (st == MF_OK) {
        double dist = 0, tr = 0;
        for (int i = 0; i < d; i++) {
            dist += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
            tr += s1[i * d + i] + s2[i * d + i] - 2 * sqrt(fmax(w[i], 0));
        }
        *out = dist + tr;
    }
    free(v), free(r), free(t), free(w);
    return st;
}
