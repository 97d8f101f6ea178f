#include "monoflow/timing.h"
#include "monoflow/bench.h"

#include <stdlib.h>
#include <string.h>

#include "monoflow/profile.h"
#include "monoflow/train.h"
#include "internal.h"

static void set(mf_config *cfg, const char *name, const char *value) {
    mf_status st = mf_config_set(cfg, mf_config_field(name), value);
    MF_ASSERT(st == MF_OK);
    (void)st;
}

mf_status mf_bench_preset(const char *name, int mode, int k, mf_config *cfg, int *dim) {
    mf_config_defaults(cfg);
    cfg->mode = mode;
    cfg->k = k;
    if (!strcmp(name, "toy")) {
        set(cfg, "g-hidden", "256,256,256");
        set(cfg, "d-hidden", "256,256,256");
        *dim = 2;
    } else if (!strcmp(name, "image")) {
        set(cfg, "latent", "64");
        set(cfg, "g-hidden", "256,512,1024");
        set(cfg, "out-act", "tanh");
        set(cfg, "d-hidden", "512,256");
        set(cfg, "batch", "128");
        set(cfg, "particles", "128");
        *dim = 784;
    } else {
        return mf_fail(MF_ERR_ARG, "unknown benchmark configuration '%s': use toy or image",
                       name);
    }
    if (mode == MF_MODE_FLOW && *dim == 2) cfg->particles = cfg->batch;
    return MF_OK;
}

static mf_status timed(mf_trainer *t, int warmup, int repeats, int iters, mf_bench_iter *o) {
    for (int i = 0; i < warmup; i++) MF_TRY(mf_trainer_step(t, 0));
    MF_TRY(mf_ctx_finish(t->ctx));
    double sec[64];
    if (repeats > 64) repeats = 64;
    for (int r = 0; r < repeats; r++) {
        double t0 = mf_seconds();
        for (int i = 0; i < iters; i++) MF_TRY(mf_trainer_step(t, 0));
        MF_TRY(mf_ctx_finish(t->ctx));
        sec[r] = (mf_seconds() - t0) / iters;
    }
    mf_spread(sec, repeats, &o->sec_iter, &o->sec_min, &o->sec_max);
    /* one profiled iteration for the phases (profiling adds waits, so it is not timed) */
    MF_TRY(mf_trainer_step(t, 1));
    mf_train_stats s;
    MF_TRY(mf_trainer_stats(t, &s));
    o->sec_d = s.sec_d;
    o->sec_push = s.sec_push;
    o->sec_fit = s.sec_fit;
    return MF_OK;
}

/* the GEMM share and FLOPs of one profiled iteration */
static mf_status gemm_share(mf_trainer *t, double *share, double *flops, FILE *profile) {
    mf_ctx *c = t->ctx;
    mf_profile_reset(c);
    mf_profile_enable(c, 1);
    mf_status st = mf_trainer_step(t, 0);
    if (st == MF_OK) st = mf_profile_collect(c);
    mf_profile_enable(c, 0);
    if (st != MF_OK) return st;
    int n;
    const mf_profile_entry *e = mf_profile_entries(c, &n);
    double g = 0, all = 0;
    *flops = 0;
    for (int i = 0; i < n; i++) {
        all += e[i].seconds;
        if (e[i].flops > 0) g += e[i].seconds;
        *flops += e[i].flops;
    }
    *share = all > 0 ? g / all : 0;
    if (profile) mf_profile_print(c, profile, 1);
    mf_profile_reset(c);
    return MF_OK;
}

mf_status mf_bench_iterations(mf_ctx *ctx, const mf_config *cfg, int warmup, int repeats,
                              int iters, mf_bench_iter *out, FILE *profile) {
    memset(out, 0, sizeof *out);
    size_t before = mf_ctx_bytes_held(ctx);
    mf_trainer t;
    MF_TRY(mf_trainer_create(ctx, cfg, &t));
    out->bytes = mf_ctx_bytes_held(ctx) - before;
    mf_status st = timed(&t, warmup, repeats, iters, out);
    if (st == MF_OK) st = gemm_share(&t, &out->gemm_share, &out->gemm_flops, profile);
    mf_trainer_destroy(&t);
    return st;
}
