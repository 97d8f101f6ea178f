#include "monoflow/gemm.h"

#include <clblast_c.h>

#include "internal.h"

/* profile names by transpose pair, so the breakdown shows which layer pass is slow */
static const char *gemm_name(int ta, int tb, int batched) {
    static const char *names[2][4] = {{"gemm_NN", "gemm_NT", "gemm_TN", "gemm_TT"},
                                      {"gemm_batched_NN", "gemm_batched_NT",
                                       "gemm_batched_TN", "gemm_batched_TT"}};
    return names[batched][ta * 2 + tb];
}

static mf_status clblast_failed(const char *what, CLBlastStatusCode s, size_t m, size_t n,
                                size_t k) {
    return mf_fail(MF_ERR_CLBLAST, "CLBlast %s (m=%zu n=%zu k=%zu) failed with status %d (%s)",
                   what, m, n, k, (int)s, mf_cl_error_str((int)s));
}

static CLBlastTranspose tr(int t) { return t ? CLBlastTransposeYes : CLBlastTransposeNo; }

mf_status mf_gemm(mf_ctx *c, size_t m, size_t n, size_t k, float alpha, mf_mat a, mf_mat b,
                  float beta, mf_buf *out, size_t c_off, size_t ldc) {
    double flops = 2.0 * (double)m * (double)n * (double)k;
    c->gemm_flops += flops;
    cl_event *ev = mf_event_slot(c, gemm_name(a.trans, b.trans, 0), flops);
    CLBlastStatusCode s =
        CLBlastSgemm(CLBlastLayoutRowMajor, tr(a.trans), tr(b.trans), m, n, k, alpha,
                     a.buf->mem, a.off, a.ld, b.buf->mem, b.off, b.ld, beta, out->mem, c_off,
                     ldc, &c->queue, ev);
    if (s != CLBlastSuccess) return clblast_failed("Sgemm", s, m, n, k);
    return MF_OK;
}

mf_status mf_gemm_strided_batched(mf_ctx *c, size_t m, size_t n, size_t k, float alpha,
                                  mf_mat a, size_t a_stride, mf_mat b, size_t b_stride,
                                  float beta, mf_buf *out, size_t c_off, size_t ldc,
                                  size_t c_stride, size_t batch) {
    double flops = 2.0 * (double)m * (double)n * (double)k * (double)batch;
    c->gemm_flops += flops;
    cl_event *ev = mf_event_slot(c, gemm_name(a.trans, b.trans, 1), flops);
    CLBlastStatusCode s = CLBlastSgemmStridedBatched(
        CLBlastLayoutRowMajor, tr(a.trans), tr(b.trans), m, n, k, alpha, a.buf->mem, a.off,
        a.ld, a_stride, b.buf->mem, b.off, b.ld, b_stride, beta, out->mem, c_off, ldc, c_stride,
        batch, &c->queue, ev);
    if (s != CLBlastSuccess) return clblast_failed("SgemmStridedBatched", s, m, n, k);
    return MF_OK;
}
