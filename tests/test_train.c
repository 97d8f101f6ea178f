/* Short trainings against fixed expectations: the demo regression (MLP 2-64-64-1 tanh, 512
 * points, Adam lr 3e-3) must bring the MSE from above 0.1 to below 0.005 in 300 steps; the
 * same seed must give bit-identical parameters in two runs, another seed different ones;
 * bad network shapes must be refused with a clear message. */
#include <string.h>

#include "monoflow/demo.h"
#include "monoflow/mlp.h"
#include "test_util.h"

static void test_fit(mf_ctx *ctx) {
    mf_demo_config cfg = {.steps = 300, .points = 512, .hidden = 64, .lr = 3e-3f, .seed = 1};
    mf_demo_result r1, r2, r3;
    size_t np = 0;
    float *p1 = malloc(64 * 64 * 4 + 4096 * 4), *p2 = malloc(64 * 64 * 4 + 4096 * 4);
    float *p3 = malloc(64 * 64 * 4 + 4096 * 4);
    MUST(mf_demo_regression(ctx, &cfg, 0, NULL, NULL, &r1, p1, &np));
    printf("regression: mse %.6f -> %.6f in %d steps (%.2f s)\n", r1.loss_first, r1.loss_last,
           cfg.steps, r1.seconds);
    CHECK(r1.loss_first > 0.1, "initial mse %g should be above 0.1 (the task is not trivial)",
          r1.loss_first);
    CHECK(r1.loss_last < 0.005, "mse after %d steps is %g, want < 0.005", cfg.steps,
          r1.loss_last);

    MUST(mf_demo_regression(ctx, &cfg, 0, NULL, NULL, &r2, p2, &np));
    CHECK(!memcmp(p1, p2, np * sizeof *p1), "same seed, different parameters after %d steps",
          cfg.steps);
    CHECK(r1.loss_last == r2.loss_last, "same seed, losses %.9g and %.9g", r1.loss_last,
          r2.loss_last);

    cfg.seed = 2;
    cfg.steps = 20;
    MUST(mf_demo_regression(ctx, &cfg, 0, NULL, NULL, &r3, p3, &np));
    CHECK(memcmp(p1, p3, np * sizeof *p1) != 0, "another seed gave the same parameters");
    free(p1), free(p2), free(p3);
}

static void expect_arg_error(mf_ctx *ctx, const mf_mlp_config *cfg, int batch,
                             const char *needle) {
    mf_mlp m;
    mf_status st = mf_mlp_create(ctx, cfg, batch, &m);
    CHECK(st == MF_ERR_ARG, "expected MF_ERR_ARG, got %s", mf_status_str(st));
    CHECK(strstr(mf_last_error(), needle) != NULL, "message '%s' lacks '%s'", mf_last_error(),
          needle);
    CHECK(mf_ctx_bytes_held(ctx) == 0, "a refused network left %zu bytes allocated",
          mf_ctx_bytes_held(ctx));
}

static void test_bad_shapes(mf_ctx *ctx) {
    mf_mlp_config zero = {.n_layers = 2, .widths = {2, 0, 1}, .hidden_act = MF_ACT_TANH};
    expect_arg_error(ctx, &zero, 8, "layer width 0 (position 1)");
    mf_mlp_config none = {.n_layers = 0, .widths = {2}};
    expect_arg_error(ctx, &none, 8, "1 to 16 layers");
    mf_mlp_config slope = {.n_layers = 1, .widths = {2, 1}, .slope = -0.5f};
    expect_arg_error(ctx, &slope, 8, "slope");
    mf_mlp_config fine = {.n_layers = 1, .widths = {2, 1}};
    expect_arg_error(ctx, &fine, 0, "batch size 0");
}

static void test_memory_accounting(mf_ctx *ctx) {
    mf_mlp_config cfg = {.n_layers = 3, .widths = {2, 256, 256, 1}, .hidden_act = MF_ACT_TANH};
    mf_mlp m;
    MUST(mf_mlp_create(ctx, &cfg, 256, &m));
    /* params, grads: 2*256+256 + 256*256+256 + 256+1 = 66817 each; acts 256*(256+256+1); dout 256; din 512; scratch 2*256*256 */
    size_t floats = 2 * 66817 + 256 * 513 + 256 + 512 + 2 * 256 * 256;
    CHECK(mf_ctx_bytes_held(ctx) == floats * 4, "held %zu bytes, expected %zu",
          mf_ctx_bytes_held(ctx), floats * 4);
    mf_mlp_destroy(ctx, &m);
    CHECK(mf_ctx_bytes_held(ctx) == 0, "after destroy %zu bytes held", mf_ctx_bytes_held(ctx));
}

int main(void) {
    mf_ctx *ctx = test_ctx();
    test_fit(ctx);
    test_bad_shapes(ctx);
    test_memory_accounting(ctx);
    mf_ctx_destroy(ctx);
    return test_finish("test_train");
}
