/* One mf_gemm case against the double-sum C reference, shared by test_gemm and test_tune:
 * offsets, padded leading dimensions, alpha and beta; |d| <= 1e-4 + 1e-4 |ref|. */
#ifndef MONOFLOW_TEST_GEMM_CASE_H
#define MONOFLOW_TEST_GEMM_CASE_H

#include <string.h>

#include "monoflow/gemm.h"
#include "monoflow/ref.h"
#include "test_util.h"

static inline void to_double(const float *f, double *d, size_t n) {
    for (size_t i = 0; i < n; i++) d[i] = f[i];
}

static inline void check_gemm(mf_ctx *ctx, int ta, int tb, size_t m, size_t n, size_t k,
                              float alpha, float beta) {
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
    mf_buf da = test_upload(ctx, a, na), db = test_upload(ctx, b, nb);
    mf_buf dc = test_upload(ctx, c, nc);
    mf_mat ma = {&da, off, lda, ta}, mb = {&db, off, ldb, tb};
    MUST(mf_gemm(ctx, m, n, k, alpha, ma, mb, beta, &dc, off, ldc));
    MUST(mf_buf_read(ctx, &dc, 0, nc, got));
    mf_ref_gemm(ta, tb, m, n, k, alpha, a + off, lda, b + off, ldb, beta, c + off, ldc);
    to_double(c, ref, nc);
    char what[96];
    snprintf(what, sizeof what, "gemm %c%c m=%zu n=%zu k=%zu alpha=%g beta=%g", ta ? 'T' : 'N',
             tb ? 'T' : 'N', m, n, k, alpha, beta);
    check_close(what, got, ref, nc, 1e-4, 1e-4);
    mf_buf_free(ctx, &da);
    mf_buf_free(ctx, &db);
    mf_buf_free(ctx, &dc);
    free(a), free(b), free(c), free(got), free(ref);
}

#endif
