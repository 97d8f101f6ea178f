#include "monoflow/gemm.h"

#include <clblast_c.h>
#include <string.h>

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

/* The indirect GEMM (large products) copies its operands into padded scratch. CLBlast
 * allocates that scratch on every call unless it is given one, so the context keeps one and
 * grows it when a product needs more. */
static mf_status temp_for(mf_ctx *c, CLBlastTranspose ta, CLBlastTranspose tb, size_t m,
                          size_t n, size_t k, mf_mat a, mf_mat b, size_t c_off, size_t ldc) {
    size_t key[11] = {ta, tb, m, n, k, a.off, a.ld, b.off, b.ld, c_off, ldc};
    size_t need = 0;
    int i = 0;
    while (i < c->n_needs && memcmp(c->needs[i].key, key, sizeof key)) i++;
    if (i < c->n_needs) {
        need = c->needs[i].bytes;
    } else { /* CLBlast looks its database up on every ask, so ask once per shape */
        CLBlastStatusCode s =
            CLBlastSGemmTempBufferSize(CLBlastLayoutRowMajor, ta, tb, m, n, k, a.off, a.ld,
                                       b.off, b.ld, c_off, ldc, &c->queue, &need);
        if (s != CLBlastSuccess) return clblast_failed("SGemmTempBufferSize", s, m, n, k);
        if (c->n_needs < MF_GEMM_NEEDS) {
            memcpy(c->needs[c->n_needs].key, key, sizeof key);
            c->needs[c->n_needs++].bytes = need;
        }
    }
    return mf_ctx_scratch(c, &c->gemm_temp, (need + sizeof(float) - 1) / sizeof(float));
}

void mf_gemm_forget_needs(mf_ctx *c) { c->n_needs = 0; }

/* Products with an output of one to MF_THIN columns (or rows) as that many GEMVs: the GEMM
 * kernels pad such an output to a whole tile (64 wide), wasting nearly all their work on
 * layers of width 1 or 2 (D's output, a 2D generator's output). Each GEMV is
 * y = op(M) x + beta y over one column (or row) of C. With beta 0 BLAS promises not to read
 * C, but CLBlast's GEMV kernel computes beta * y all the same (NaN in, NaN out), so a
 * contiguous C is cleared first; other beta-0 products stay GEMMs. */
#define MF_THIN 4

typedef struct {
    CLBlastTranspose t;
    size_t rows, cols; /* M as stored */
    const mf_mat *mat;
    size_t x_off, x_step, x_inc; /* x of GEMV j starts at x_off + j x_step */
    const mf_mat *vec;
    size_t y_step, y_inc;
} mf_thin;

static mf_thin thin_plan(size_t m, size_t n, size_t k, const mf_mat *a, const mf_mat *b,
                         size_t ldc) {
    mf_thin p;
    if (n <= m) { /* column j of C = op(A) (column j of op(B)) */
        p.mat = a, p.vec = b;
        p.t = tr(a->trans), p.rows = a->trans ? k : m, p.cols = a->trans ? m : k;
        p.x_off = b->off, p.x_step = b->trans ? b->ld : 1, p.x_inc = b->trans ? 1 : b->ld;
        p.y_step = 1, p.y_inc = ldc;
    } else { /* row i of C = op(B)^T (row i of op(A)) */
        p.mat = b, p.vec = a;
        p.t = tr(!b->trans), p.rows = b->trans ? n : k, p.cols = b->trans ? k : n;
        p.x_off = a->off, p.x_step = a->trans ? 1 : a->ld, p.x_inc = a->trans ? a->ld : 1;
        p.y_step = ldc, p.y_inc = 1;
    }
    return p;
}

static mf_status gemm_thin(mf_ctx *c, size_t m, size_t n, size_t k, float alpha, mf_mat a,
                           mf_mat b, float beta, mf_buf *out, size_t c_off, size_t ldc,
                           cl_event *ev) {
    mf_thin p = thin_plan(m, n, k, &a, &b, ldc);
    size_t count = n <= m ? n : m;
    if (beta == 0.0f) MF_TRY(mf_buf_fill(c, out, c_off, m * n, 0.0f)); /* ldc == n here */
    for (size_t j = 0; j < count; j++) {
        CLBlastStatusCode s = CLBlastSgemv(
            CLBlastLayoutRowMajor, p.t, p.rows, p.cols, alpha, p.mat->buf->mem, p.mat->off,
            p.mat->ld, p.vec->buf->mem, p.x_off + j * p.x_step, p.x_inc, beta, out->mem,
            c_off + j * p.y_step, p.y_inc, &c->queue, j + 1 == count ? ev : NULL);
        if (s != CLBlastSuccess) return clblast_failed("Sgemv", s, m, n, k);
    }
    return MF_OK;
}

mf_status mf_gemm(mf_ctx *c, size_t m, size_t n, size_t k, float alpha, mf_mat a, mf_mat b,
                  float beta, mf_buf *out, size_t c_off, size_t ldc) {
    double flops = 2.0 * (double)m * (double)n * (double)k;
    c->gemm_flops += flops;
    cl_event *ev = mf_event_slot_span(c, gemm_name(a.trans, b.trans, 0), flops);
    if ((n <= MF_THIN || m <= MF_THIN) && k > MF_THIN && (beta != 0.0f || ldc == n))
        return gemm_thin(c, m, n, k, alpha, a, b, beta, out, c_off, ldc, ev);
    MF_TRY(temp_for(c, tr(a.trans), tr(b.trans), m, n, k, a, b, c_off, ldc));
    /* the direct kernel (no scratch needed) goes the plain way */
    CLBlastStatusCode s =
        c->gemm_temp.mem ? CLBlastSgemmWithTempBuffer(CLBlastLayoutRowMajor, tr(a.trans),
                                                  tr(b.trans), m, n, k, alpha, a.buf->mem,
                                                  a.off, a.ld, b.buf->mem, b.off, b.ld, beta,
                                                  out->mem, c_off, ldc, &c->queue, ev,
                                                  c->gemm_temp.mem)
                     : CLBlastSgemm(CLBlastLayoutRowMajor, tr(a.trans), tr(b.trans), m, n, k,
                                    alpha, a.buf->mem, a.off, a.ld, b.buf->mem, b.off, b.ld,
                                    beta, out->mem, c_off, ldc, &c->queue, ev);
    if (s != CLBlastSuccess) return clblast_failed("Sgemm", s, m, n, k);
    return MF_OK;
}

mf_status mf_gemm_strided_batched(mf_ctx *c, size_t m, size_t n, size_t k, float alpha,
                                  mf_mat a, size_t a_stride, mf_mat b, size_t b_stride,
                                  float beta, mf_buf *out, size_t c_off, size_t ldc,
                                  size_t c_stride, size_t batch) {
    double flops = 2.0 * (double)m * (double)n * (double)k * (double)batch;
    c->gemm_flops += flops;
    cl_event *ev = mf_event_slot_span(c, gemm_name(a.trans, b.trans, 1), flops);
    CLBlastStatusCode s = CLBlastSgemmStridedBatched(
        CLBlastLayoutRowMajor, tr(a.trans), tr(b.trans), m, n, k, alpha, a.buf->mem, a.off,
        a.ld, a_stride, b.buf->mem, b.off, b.ld, b_stride, beta, out->mem, c_off, ldc, c_stride,
        batch, &c->queue, ev);
    if (s != CLBlastSuccess) return clblast_failed("SgemmStridedBatched", s, m, n, k);
    return MF_OK;
}
