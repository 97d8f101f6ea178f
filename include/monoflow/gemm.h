/* Matrix products, all through CLBlast on the context's queue. Row-major throughout:
 * C[m x n] = alpha * op(A) op(B) + beta * C, offsets and leading dimensions in floats. */
#ifndef MONOFLOW_GEMM_H
#define MONOFLOW_GEMM_H

#include "monoflow/buffer.h"

typedef struct {
    const mf_buf *buf;
    size_t off, ld;
    int trans; /* 1: use the transpose */
} mf_mat;

mf_status mf_gemm(mf_ctx *ctx, size_t m, size_t n, size_t k, float alpha, mf_mat a, mf_mat b,
                  float beta, mf_buf *c, size_t c_off, size_t ldc);

/* batch products with fixed strides between consecutive matrices */
mf_status mf_gemm_strided_batched(mf_ctx *ctx, size_t m, size_t n, size_t k, float alpha,
                                  mf_mat a, size_t a_stride, mf_mat b, size_t b_stride,
                                  float beta, mf_buf *c, size_t c_off, size_t ldc,
                                  size_t c_stride, size_t batch);

#endif
