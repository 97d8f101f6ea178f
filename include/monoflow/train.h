/* MonoFlow training on the device: the D step (3), the push (6) and the generator fit (8),
 * or the one-step generator loss (11/12), or the generator-free particle flow. Every step of
 * an iteration is enqueued on the context's queue; the host reads back only the statistics
 * of the iterations it logs. */
#ifndef MONOFLOW_TRAIN_H
#define MONOFLOW_TRAIN_H

#include "monoflow/config.h"
#include "monoflow/data.h"
#include "monoflow/mlp.h"
#include "monoflow/optim.h"
#include "monoflow/snapshot.h"

/* profile phases */
enum { MF_PHASE_D = 0, MF_PHASE_PUSH = 1, MF_PHASE_FIT = 2, MF_PHASE_OTHER = 3 };

typedef struct {
    long iteration;          /* iterations done */
    double d_loss;           /* logistic loss of the last D step */
    double g_loss;           /* one-step: mean -h(D(g(z))); fit: fitting loss of the last of
                                the K steps; flow: 0 */
    double d_real, d_fake;   /* mean D on the real and the generated batch */
    double kl_pq, kl_qp;     /* E_p[D] ~ KL(p||q) and -E_q[D] ~ KL(q||p) */
    double push_len;         /* mean length of a particle's push */
    double sec_d, sec_push, sec_fit; /* device seconds of this iteration's phases */
    double gemm_gflops;      /* GEMM FLOPs over GEMM device time in this iteration */
} mf_train_stats;

typedef struct {
    mf_config cfg;
    mf_ctx *ctx;
    mf_data data;
    int dim;
    int has_g;               /* no generator in flow mode */
    mf_mlp g, d;
    mf_adam opt_g, opt_d;
    mf_rng rng;
    long iter;
    float eps;               /* the push step of this iteration (schedule) */
    int n_fake;              /* generated rows per D step: batch, or particles in flow mode */
    mf_buf z, rf, target, terms, stats, particles;
    mf_buf g_avg;            /* --g-ema: the average of G's parameters (empty when off) */
    cl_event inflight[2];    /* markers of the last two iterations (bounds the queue) */
} mf_trainer;

/* Builds networks, optimisers and buffers for cfg on ctx, initialised from cfg.seed. */
mf_status mf_trainer_create(mf_ctx *ctx, const mf_config *cfg, mf_trainer *tr);
void mf_trainer_destroy(mf_trainer *tr);

/* One iteration, enqueued. With want_stats the iteration's statistics are gathered on the
 * device and its phases timed; read them with mf_trainer_stats (which waits). */
mf_status mf_trainer_step(mf_trainer *tr, int want_stats);
mf_status mf_trainer_stats(mf_trainer *tr, mf_train_stats *out);

/* n generated points (flow mode: the first n particles) into host memory (n x dim), from the
 * averaged generator when --g-ema is on. Uses its own random stream from seed, so training's
 * stream is untouched. */
mf_status mf_trainer_generate(mf_trainer *tr, uint64_t seed, size_t n, float *out);

/* D's logits for n host points (n x dim). */
mf_status mf_trainer_eval_d(mf_trainer *tr, const float *points, size_t n, float *out);

/* n real points from the data, own random stream from seed. */
mf_status mf_trainer_real(mf_trainer *tr, uint64_t seed, size_t n, float *out);

/* The viewer's pictures into s: samples, histograms of D on real and generated samples and,
 * for 2D data, D over the data's range (fixed at the first call: s->has_map stays set).
 * Uses its own random streams; training's state is untouched. */
mf_status mf_trainer_snapshot(mf_trainer *tr, mf_snapshot *s);

#endif
