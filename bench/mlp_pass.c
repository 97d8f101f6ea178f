/* The engine's forward/backward pass: MLP 2-256-256-256-1 LeakyReLU(0.2) at batch 256 (the
 * toy GAN's discriminator shape). Prints the time from process start to the first finished
 * pass (cold or warm caches: see start_time.sh), the wall time per pass with no host waits
 * inside, and the device time split between CLBlast GEMMs and the project's kernels.
 * usage: monoflow-bench-mlp [--device SPEC] [--passes N] [--width W] [--batch B] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/timing.h"
#include "monoflow/context.h"
#include "monoflow/mlp.h"
#include "monoflow/profile.h"
#include "monoflow/rng.h"

static int die(void) {
    fprintf(stderr, "monoflow-bench-mlp: %s\n", mf_last_error());
    return 1;
}

#define TRY(x)                                                                                 \
    do {                                                                                       \
        if ((x) != MF_OK) return die();                                                        \
    } while (0)

static mf_status pass(mf_ctx *ctx, mf_mlp *m, mf_buf *x, int batch) {
    mf_status st = mf_mlp_forward(ctx, m, x, 0, batch);
    if (st == MF_OK) st = mf_mlp_backward(ctx, m, MF_BACK_PARAMS | MF_BACK_INPUT);
    return st;
}

int main(int argc, char **argv) {
    double t_start = mf_seconds();
    const char *device = NULL;
    int passes = 200, width = 256, batch = 256;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--device")) device = argv[i + 1];
        else if (!strcmp(argv[i], "--passes")) passes = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--width")) width = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) batch = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "monoflow-bench-mlp: unknown flag '%s'\n", argv[i]);
            return 2;
        }
    }
    if (passes < 1 || width < 1 || batch < 1) {
        fprintf(stderr, "monoflow-bench-mlp: --passes, --width and --batch must be >= 1\n");
        return 2;
    }
    mf_ctx *ctx;
    TRY(mf_ctx_create(mf_device_spec(device), &ctx));
    mf_mlp_config cfg = {.n_layers = 4, .widths = {2, width, width, width, 1},
                         .hidden_act = MF_ACT_LEAKY_RELU, .out_act = MF_ACT_IDENTITY,
                         .slope = 0.2f};
    mf_mlp m;
    mf_buf x;
    mf_rng rng;
    mf_rng_init(&rng, 1);
    TRY(mf_mlp_create(ctx, &cfg, batch, &m));
    TRY(mf_buf_alloc(ctx, (size_t)batch * 2, &x));
    TRY(mf_mlp_init(ctx, &m, &rng));
    TRY(mf_rng_normal(ctx, &rng, &x, 0, (size_t)batch * 2, 0, 1));
    TRY(mf_rng_normal(ctx, &rng, &m.dout, 0, (size_t)batch, 0, 1));
    TRY(pass(ctx, &m, &x, batch));
    TRY(mf_ctx_finish(ctx));
    double t_first = mf_seconds() - t_start;
    const mf_device_info *d = mf_ctx_device(ctx);
    printf("device: %s (%s)\n", d->name, d->platform_name);
    printf("network: 2-%d-%d-%d-1 leakyrelu, batch %d\n", width, width, width, batch);
    printf("kernel program: %s in %.3f s\n",
           mf_ctx_build_info(ctx)->from_cache ? "loaded from cache" : "compiled",
           mf_ctx_build_info(ctx)->seconds);
    printf("start to first finished forward+backward: %.3f s\n", t_first);

    for (int i = 0; i < 10; i++) TRY(pass(ctx, &m, &x, batch)); /* warm-up */
    TRY(mf_ctx_finish(ctx));
    double t0 = mf_seconds();
    for (int i = 0; i < passes; i++) TRY(pass(ctx, &m, &x, batch));
    TRY(mf_ctx_finish(ctx));
    double per = (mf_seconds() - t0) / passes;
    double flops = 0;
    for (int l = 0; l < cfg.n_layers; l++)
        flops += 3 * 2.0 * batch * cfg.widths[l] * cfg.widths[l + 1];
    printf("wall per pass (no profiling): %.3f ms, %.2f GFLOP/s overall\n", per * 1e3,
           flops / per * 1e-9);

    mf_profile_enable(ctx, 1);
    for (int i = 0; i < passes; i++) TRY(pass(ctx, &m, &x, batch));
    TRY(mf_profile_collect(ctx));
    printf("device time per pass:\n");
    mf_profile_print(ctx, stdout, passes);
    printf("device memory held: %.2f MiB\n", mf_ctx_bytes_held(ctx) / 1048576.0);
    mf_buf_free(ctx, &x);
    mf_mlp_destroy(ctx, &m);
    mf_ctx_destroy(ctx);
    return 0;
}
