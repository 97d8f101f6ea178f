/* The particle push of MonoFlow (6): x + eps h'(D(x)) grad_x D(x). */
#ifndef MONOFLOW_PUSH_H
#define MONOFLOW_PUSH_H

#include "monoflow/buffer.h"
#include "monoflow/loss.h"

/* target[n x dim] = x + eps h'(d) grad (target may be x), len[i] = |eps h'(d_i) grad_i|. */
mf_status mf_push(mf_ctx *ctx, mf_buf *target, const mf_buf *x, const mf_buf *d,
                  const mf_buf *grad, size_t n, size_t dim, mf_h h, float c, float eps,
                  mf_buf *len);

/* the same on the host, in double */
void mf_ref_push(float *target, const float *x, const float *d, const float *grad, size_t n,
                 size_t dim, mf_h h, double c, double eps, float *len);

#endif
