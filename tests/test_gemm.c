/* CLBlast GEMM through mf_gemm in every transpose combination (the layers use NT, TN and NN),
 * with offsets, padded leading dimensions, alpha and beta, and the strided batched form,
 * against the double-sum C reference. Tolerance: |d| <= 1e-4 + 1e-4 |ref|. */
#include <math.h>
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
    mf_buf da = test_upload(ctx, a, na), db = test_upload(ctx, b, nb);
    mf_buf dc = test_upload(ctx, c, nc);
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

/* A thin product with beta 0 into a contiguous C full of NaN: the GEMV path must not let
 * the old C through (BLAS: beta 0 does not read C). */
static void thin_nan_case(mf_ctx *ctx) {
    for (int wide = 0; wide < 2; wide++) {
        size_t m = wide ? 2 : 300, n = wide ? 300 : 2, k = 256;
        float *a = malloc(m * k * 4), *b = malloc(k * n * 4), *c = malloc(m * n * 4);
        double *ref = malloc(m * n * 8);
        fill_random(a, m * k, 11, -1, 1);
        fill_random(b, k * n, 12, -1, 1);
        for (size_t i = 0; i < m * n; i++) c[i] = NAN;
        mf_buf da = test_upload(ctx, a, m * k), db = test_upload(ctx, b, k * n);
        mf_buf dc = test_upload(ctx, c, m * n);
        mf_mat ma = {&da, 0, k, 0}, mb = {&db, 0, n, 0};
        MUST(mf_gemm(ctx, m, n, k, 1.0f, ma, mb, 0.0f, &dc, 0, n));
        MUST(mf_buf_read(ctx, &dc, 0, m * n, c));
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++) {
                double sum = 0;
                for (size_t l = 0; l < k; l++) sum += (double)a[i * k + l] * b[l * n + j];
                ref[i * n + j] = sum;
            }
        check_close(wide ? "gemm 2x300x256 beta 0 over NaN" : "gemm 300x2x256 beta 0 over NaN",
                    c, ref, m * n, ATOL, RTOL);
        mf_buf_free(ctx, &da);
        mf_buf_free(ctx, &db);
        mf_buf_free(ctx, &dc);
        free(a), free(b), free(c), free(ref);
    }
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
    /* thin products (GEMVs): every transpose pair, one output column or row up to four,
     * beta 0 and not */
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            check_gemm(ctx, ta, tb, 300, 1, 256, 1.0f, 0.0f);
            check_gemm(ctx, ta, tb, 1, 300, 256, 0.5f, 1.0f);
            check_gemm(ctx, ta, tb, 129, 4, 70, 1.0f, -1.0f);
            check_gemm(ctx, ta, tb, 3, 129, 70, -2.0f, 0.0f);
        }
    thin_nan_case(ctx);
    batched_case(ctx);
    mf_ctx_destroy(ctx);
    return test_finish("test_gemm");
}
