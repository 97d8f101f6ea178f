/* The matrix products one training iteration runs, by shape: what `monoflow bench` times
 * per shape and what `monoflow tune` tunes CLBlast for. */
#ifndef MONOFLOW_SHAPES_H
#define MONOFLOW_SHAPES_H

#include "monoflow/config.h"

typedef struct {
    int m, n, k;      /* C[m x n] = op(A)[m x k] op(B)[k x n], row-major */
    int ta, tb;       /* transposes, as src/linear.c passes them */
    int count;        /* how many times one iteration runs it */
    char what[64];    /* e.g. "D fwd 512x2->256" (the first use) */
} mf_gemm_shape;

#define MF_SHAPES_MAX 96

/* The products of one iteration of cfg on data of dimension dim (forward, backward to the
 * weights and backward to the input of every layer of D and G, in each phase), identical
 * shapes merged with their counts. Returns how many were written (at most cap). */
int mf_shapes_of_config(const mf_config *cfg, int dim, mf_gemm_shape *out, int cap);

/* Adds b's shapes to a (merged); returns a's new count. */
int mf_shapes_merge(mf_gemm_shape *a, int na, const mf_gemm_shape *b, int nb, int cap);

double mf_shape_flops(const mf_gemm_shape *s);

#endif
