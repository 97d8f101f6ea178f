#include "monoflow/push.h"

#include <math.h>

#include "monoflow/ref.h"
#include "internal.h"

mf_status mf_push(mf_ctx *c, mf_buf *target, const mf_buf *x, const mf_buf *d,
                  const mf_buf *grad, size_t n, size_t dim, mf_h h, float shift, float eps,
                  mf_buf *len) {
    MF_ASSERT(n * dim <= target->n && n * dim <= x->n && n <= d->n && n * dim <= grad->n &&
              n <= len->n);
    cl_uint un = (cl_uint)n, ud = (cl_uint)dim;
    cl_int hi = (cl_int)h;
    mf_set_args(c->kernels[MF_K_push], 10, MF_ARG(target->mem), MF_ARG(x->mem), MF_ARG(d->mem),
                MF_ARG(grad->mem), MF_ARG(un), MF_ARG(ud), MF_ARG(hi), MF_ARG(shift),
                MF_ARG(eps), MF_ARG(len->mem));
    return mf_launch(c, MF_K_push, n);
}

void mf_ref_push(float *target, const float *x, const float *d, const float *grad, size_t n,
                 size_t dim, mf_h h, double c, double eps, float *len) {
    for (size_t i = 0; i < n; i++) {
        double s = eps * mf_ref_h_deriv(d[i], h, c), sq = 0;
        for (size_t j = 0; j < dim; j++) {
            double step = s * grad[i * dim + j];
            target[i * dim + j] = (float)(x[i * dim + j] + step);
            sq += step * step;
        }
        len[i] = (float)sqrt(sq);
    }
}
