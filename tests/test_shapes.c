/* The GEMM shapes `monoflow bench` times and `monoflow tune` tunes must be the products the
 * trainer really runs: one profiled iteration per mode, counted by transpose pair (calls
 * and FLOPs), against mf_shapes_of_config. Exact counts; FLOPs to 1e-9 relative. */
#include <string.h>

#include "monoflow/bench.h"
#include "monoflow/profile.h"
#include "monoflow/shapes.h"
#include "monoflow/train.h"
#include "test_util.h"

static const char *pair(int ta, int tb) {
    static const char *n[4] = {"gemm_NN", "gemm_NT", "gemm_TN", "gemm_TT"};
    return n[ta * 2 + tb];
}

static void one_mode(mf_ctx *ctx, int mode, int k, int d_steps) {
    mf_config cfg;
    int dim;
    MUST(mf_bench_preset("toy", mode, k, &cfg, &dim));
    cfg.d_steps = d_steps;
    mf_gemm_shape s[MF_SHAPES_MAX];
    int n = mf_shapes_of_config(&cfg, dim, s, MF_SHAPES_MAX);
    double want_calls[4] = {0}, want_flops[4] = {0};
    for (int i = 0; i < n; i++) {
        want_calls[s[i].ta * 2 + s[i].tb] += s[i].count;
        want_flops[s[i].ta * 2 + s[i].tb] += s[i].count * mf_shape_flops(&s[i]);
    }
    mf_trainer t;
    MUST(mf_trainer_create(ctx, &cfg, &t));
    MUST(mf_trainer_step(&t, 0));
    MUST(mf_ctx_finish(ctx));
    mf_profile_reset(ctx);
    mf_profile_enable(ctx, 1);
    MUST(mf_trainer_step(&t, 0));
    MUST(mf_profile_collect(ctx));
    mf_profile_enable(ctx, 0);
    int ne;
    const mf_profile_entry *e = mf_profile_entries(ctx, &ne);
    for (int p = 0; p < 4; p++) {
        double calls = 0, flops = 0;
        for (int i = 0; i < ne; i++)
            if (!strcmp(e[i].name, pair(p / 2, p % 2))) { /* summed over the phases */
                calls += e[i].count;
                flops += e[i].flops;
            }
        CHECK(calls == want_calls[p], "%s K=%d d-steps %d %s: %g calls, shapes say %g",
              mf_mode_name(mode), k, d_steps, pair(p / 2, p % 2), calls, want_calls[p]);
        CHECK(fabs(flops - want_flops[p]) <= 1e-9 * want_flops[p], "%s %s: %g FLOPs, want %g",
              mf_mode_name(mode), pair(p / 2, p % 2), flops, want_flops[p]);
    }
    mf_profile_reset(ctx);
    mf_trainer_destroy(&t);
}

int main(void) {
    mf_ctx *ctx = test_ctx();
    one_mode(ctx, MF_MODE_ONE_STEP, 1, 1);
    one_mode(ctx, MF_MODE_FIT, 1, 1);
    one_mode(ctx, MF_MODE_FIT, 5, 2);
    one_mode(ctx, MF_MODE_FLOW, 1, 1);
    mf_gemm_shape s[MF_SHAPES_MAX];
    mf_config cfg;
    int dim;
    MUST(mf_bench_preset("image", MF_MODE_FIT, 1, &cfg, &dim));
    int n = mf_shapes_of_config(&cfg, dim, s, MF_SHAPES_MAX);
    CHECK(dim == 784 && n > 0 && s[0].m == 128 && s[0].n == 256 && s[0].k == 64,
          "image preset: G's first product 128x256x64, got %dx%dx%d", s[0].m, s[0].n, s[0].k);
    CHECK(mf_bench_preset("huge", MF_MODE_FIT, 1, &cfg, &dim) == MF_ERR_ARG &&
              strstr(mf_last_error(), "use toy or image"), "unknown preset: %s",
          mf_last_error());
    mf_ctx_destroy(ctx);
    return test_finish("test_shapes");
}
