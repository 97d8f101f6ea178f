/* The benchmark's fixed workloads: the configurations `monoflow bench` and `monoflow tune`
 * measure, and the timing of whole training iterations on them. */
#ifndef MONOFLOW_BENCH_H
#define MONOFLOW_BENCH_H

#include <stdio.h>

#include "monoflow/config.h"
#include "monoflow/context.h"

/* "toy": G and D 3x256 LeakyReLU, batch 256, ring8 (2D), latent 8.
 * "image": G 64->256->512->1024->784 tanh, D 784->512->256->1, batch 128, 784-dim data.
 * mode is one-step, fit or flow; k the fit steps. *dim gets the data dimension. */
mf_status mf_bench_preset(const char *name, int mode, int k, mf_config *cfg, int *dim);

typedef struct {
    double sec_iter, sec_min, sec_max;     /* wall seconds per iteration: median of the
                                              repeats, fastest and slowest repeat */
    double sec_d, sec_push, sec_fit;       /* device seconds per iteration by phase */
    double gemm_share;                     /* share of device time in CLBlast GEMMs */
    double gemm_flops;                     /* matrix-product FLOPs of one iteration */
    size_t bytes;                          /* device memory the trainer holds */
} mf_bench_iter;

/* Trains cfg for `warmup` untimed iterations, then `repeats` timed runs of `iters`
 * iterations each, then profiled iterations for the phase split and the GEMM share. With
 * profile set, the device time of that iteration by kernel is printed there. */
mf_status mf_bench_iterations(mf_ctx *ctx, const mf_config *cfg, int warmup, int repeats,
                              int iters, mf_bench_iter *out, FILE *profile);

#endif
