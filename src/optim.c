#include "monoflow/optim.h"

#include <math.h>

#include "internal.h"

mf_status mf_adam_create(mf_ctx *c, size_t n, float lr, float beta1, float beta2, float eps,
                         mf_adam *out) {
    if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0))
        return mf_fail(MF_ERR_ARG,
                       "Adam needs lr > 0, 0 <= beta1, beta2 < 1 and eps > 0 (got lr %g, betas "
                       "%g %g, eps %g)",
                       lr, beta1, beta2, eps);
    out->lr = lr;
    out->beta1 = beta1;
    out->beta2 = beta2;
    out->eps = eps;
    out->step = 0;
    out->m.mem = out->v.mem = NULL;
    MF_TRY(mf_buf_alloc(c, n, &out->m));
    return mf_buf_alloc(c, n, &out->v);
}

void mf_adam_destroy(mf_ctx *c, mf_adam *a) {
    mf_buf_free(c, &a->m);
    mf_buf_free(c, &a->v);
}

mf_status mf_adam_step(mf_ctx *c, mf_adam *a, mf_buf *p, const mf_buf *g) {
    MF_ASSERT(p->n == a->m.n && g->n == p->n);
    a->step++;
    /* bias corrections in double on the host: no pow() on the device, no drift with t */
    float bc1 = (float)(1.0 / (1.0 - pow(a->beta1, (double)a->step)));
    float bc2 = (float)(1.0 / (1.0 - pow(a->beta2, (double)a->step)));
    cl_uint n = (cl_uint)p->n;
    mf_set_args(c->kernels[MF_K_adam_step], 11, MF_ARG(p->mem), MF_ARG(g->mem),
                MF_ARG(a->m.mem), MF_ARG(a->v.mem), MF_ARG(n), MF_ARG(a->lr), MF_ARG(a->beta1),
                MF_ARG(a->beta2), MF_ARG(a->eps), MF_ARG(bc1), MF_ARG(bc2));
    return mf_launch(c, MF_K_adam_step, n);
}

mf_status mf_sgd_step(mf_ctx *c, float lr, mf_buf *p, const mf_buf *g) {
    MF_ASSERT(g->n == p->n);
    cl_uint n = (cl_uint)p->n;
    mf_set_args(c->kernels[MF_K_sgd_step], 4, MF_ARG(p->mem), MF_ARG(g->mem), MF_ARG(n),
                MF_ARG(lr));
    return mf_launch(c, MF_K_sgd_step, n);
}

mf_status mf_ema_step(mf_ctx *c, float decay, mf_buf *avg, const mf_buf *p) {
    MF_ASSERT(avg->n == p->n);
    cl_uint n = (cl_uint)p->n;
    mf_set_args(c->kernels[MF_K_ema_step], 4, MF_ARG(avg->mem), MF_ARG(p->mem), MF_ARG(n),
                MF_ARG(decay));
    return mf_launch(c, MF_K_ema_step, n);
}

float mf_ema_decay(float decay, long step) {
    double warm = (1.0 + (double)step) / (10.0 + (double)step);
    return warm < decay ? (float)warm : decay;
}
