/* CLBlast GEMM through mf_gemm in every transpose combination (the layers use NT, TN and NN),
 * with offsets, padded leading dimensions, alpha and beta, and the strided batched form,
 * against the double-sum C reference. Tolerance: |d| <= 1e-4 + 1e-4 |ref|. */
#include <string.h>

#include "monoflow/gemm.h"
#include "monoflow/ref.h"
#include "test_util.h"

#define ATOL 1e-4
#define RTOL 1e-4

static void to_double(const float *f, double *d, size_t n) {
    for (size_t i = 0; i < n; i++) d[i] = f[i];
}

static void one_case(mf_ctx *ctx, int ta, int tb, size_t m, size_t n, size_t k, float alpha,
                     float beta) {
    /* storage shapes: A is m x k (k x m when transposed), lda padded by 3, offset 5 */
    size_t a_rows = ta ? k : m, a_cols = ta ? m : k, lda = a_cols + 3;
    size_t b_rows = tb ? n : k, b_cols = tb ? k : n, ldb = b_cols + 1;
    size_t ldc = n + 2, off = 5;
    size_t na = off + a_rows * lda, nb = off + b_rows * ldb, nc = off + m * ldc;
    float *a = malloc(na * 4), *b = malloc(nb * 4), *c = malloc(nc * 4), *got = malloc(nc * 4);
    double *ref = malloc(nc * 8);
    fill_random(a, na, 1 + ta, -1, 1);
    fill_random(b, nb, 2 + tb, -1, 1);
    fill_random(c, nc, 3, -1, 1);
    mf_buf da, db, dc;
    MUST(mf_buf_alloc(ctx, na, &da));
    MUST(mf_buf_alloc(ctx, nb, &db));
    MUST(mf_buf_alloc(ctx, nc, &dc));
    MUST(mf_buf_write(ctx, &da, 0, na, a));
    MUST(mf_buf_write(ctx, &db, 0, nb, b));
    MUST(mf_buf_write(ctx, &dc, 0, nc, c));
    mf_mat ma = {&da, off, lda, ta}, mb = {&db, off, ldb, tb};
    MUST(mf_gemm(ctx, m, n, k, alpha, ma, mb, beta, &dc, off, ldc));
    MUST(mf_buf_read(ctx, &dc, 0, nc, got));
    mf_ref_gemm(ta, tb, m, n, k, alpha, a + off, lda, b + off, ldb, beta, c + off, ldc);
    to_double(c, ref, nc);
    char what[96];
    snprintf(what, sizeof what, "gemm %c%c m=%zu n=%zu k=%zu alpha=%g beta=%g", ta ? 'T' : 'N',
             tb ? 'T' : 'N', m, n, k, alpha, beta);
    check_close(what, got, ref, nc, ATOL, RTOL);
    mf_buf_free(ctx, &da);
    mf_buf_free(ctx, &db);
    mf_buf_free(ctx, &dc);
    free(a), free(b), free(c), free(got), free(ref);
}

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
            one_case(ctx, ta, tb, 37, 23, 19, 1.0f, 0.0f);
            one_case(ctx, ta, tb, 64, 256, 128, 0.75f, 1.0f);
            one_case(ctx, ta, tb, 1, 1, 1, 2.0f, -0.5f);
        }
    /* the layer shapes of a 2-256-256-1 network at batch 256 */
    one_case(ctx, 0, 1, 256, 256, 2, 1.0f, 0.0f);
    one_case(ctx, 1, 0, 256, 256, 256, 1.0f, 1.0f);
    one_case(ctx, 0, 0, 256, 2, 256, 1.0f, 0.0f);
    batched_case(ctx);
    mf_ctx_destroy(ctx);
    return test_finish("test_gemm");
}
