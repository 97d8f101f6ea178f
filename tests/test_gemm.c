/* CLBlast GEMM through mf_gemm in every transpose combination (the layers use NT, TN and NN),
 * with offsets, padded leading dimensions, alpha and beta, and the strided batched form,
 * against the double-sum C reference. Tolerance: |d| <= 1e-4 + 1e-4 |ref|. */
#include <string.h>

#include "monoflow/gemm.h"
#include "monoflow/ref.h"
#include "test_gemm_case.h"

#define ATOL 1e-4
#define RTOL 1e-4

static void batched_case(mf_ctx *ctx) {
    size_t m = 7, n = 5, k = 9, batch = 3;
    size_t sa = m * k + 4, sb = k * n + 2, sc = m * n + 1;
    size_t na = sa * batch, nb = sb * batch, nc = sc * batch;
    float *a = malloc(na * 4), *b = malloc(nb * 4), *c = malloc(nc * 4), *got = malloc(nc * 4);
    double *ref = malloc(nc * 8);
    fill_random(a, na, 7, -1, 1);
    fill_random(b, nb, 8, -1, 1);
    fill_random(c, nc, 9, -1, 1);
    mf_buf da, db, dc;
    MUST(mf_buf_alloc(ctx, na, &da));
    MUST(mf_buf_alloc(ctx, nb, &db));
    MUST(mf_buf_alloc(ctx, nc, &dc));
    MUST(mf_buf_write(ctx, &da, 0, na, a));
    MUST(mf_buf_write(ctx, &db, 0, nb, b));
    MUST(mf_buf_write(ctx, &dc, 0, nc, c));
    mf_mat ma = {&da, 0, k, 0}, mb = {&db, 0, n, 0};
    MUST(mf_gemm_strided_batched(ctx, m, n, k, 0.5f, ma, sa, mb, sb, 2.0f, &dc, 0, n, sc,
                                 batch));
    MUST(mf_buf_read(ctx, &dc, 0, nc, got));
    for (size_t i = 0; i < batch; i++)
        mf_ref_gemm(0, 0, m, n, k, 0.5f, a + i * sa, k, b + i * sb, n, 2.0f, c + i * sc, n);
    to_double(c, ref, nc);
    check_close("gemm strided batched NN", got, ref, nc, ATOL, RTOL);
    mf_buf_free(ctx, &da);
    mf_buf_free(ctx, &db);
    mf_buf_free(ctx, &dc);
    free(a), free(b), free(c), free(got), free(ref);
}

int main(void) {
    mf_ctx *ctx = test_ctx();
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            check_gemm(ctx, ta, tb, 37, 23, 19, 1.0f, 0.0f);
            check_gemm(ctx, ta, tb, 64, 256, 128, 0.75f, 1.0f);
            check_gemm(ctx, ta, tb, 1, 1, 1, 2.0f, -0.5f);
        }
    /* the layer shapes of a 2-256-256-1 network at batch 256 */
    check_gemm(ctx, 0, 1, 256, 256, 2, 1.0f, 0.0f);
    check_gemm(ctx, 1, 0, 256, 256, 256, 1.0f, 1.0f);
    check_gemm(ctx, 0, 0, 256, 2, 256, 1.0f, 0.0f);
    batched_case(ctx);
    mf_ctx_destroy(ctx);
    return test_finish("test_gemm");
}
