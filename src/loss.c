#include "monoflow/loss.h"

#include <string.h>

#include "internal.h"

static const char *h_names[MF_H_COUNT] = {"logit", "ns", "vanilla", "arcsinh", "jeffrey"};

const char *mf_h_name(mf_h h) { return (h >= 0 && h < MF_H_COUNT) ? h_names[h] : "?"; }

int mf_h_parse(const char *name, mf_h *out) {
    for (int i = 0; i < MF_H_COUNT; i++)
        if (!strcmp(name, h_names[i])) {
            *out = (mf_h)i;
            return 0;
        }
    return -1;
}

mf_status mf_loss_logistic(mf_ctx *c, const mf_buf *d, size_t n_real, size_t n_fake,
                           mf_buf *grad, mf_buf *terms) {
    size_t n = n_real + n_fake;
    MF_ASSERT(n_real > 0 && n_fake > 0 && n <= d->n && n <= grad->n && n <= terms->n);
    cl_uint nr = (cl_uint)n_real, nf = (cl_uint)n_fake;
    mf_set_args(c->kernels[MF_K_logistic_loss], 5, MF_ARG(d->mem), MF_ARG(nr), MF_ARG(nf),
                MF_ARG(grad->mem), MF_ARG(terms->mem));
    return mf_launch(c, MF_K_logistic_loss, n);
}

mf_status mf_loss_gen(mf_ctx *c, const mf_buf *d, size_t n, mf_h h, float shift, mf_buf *grad,
                      mf_buf *terms) {
    MF_ASSERT(n > 0 && n <= d->n && n <= grad->n && n <= terms->n && h < MF_H_COUNT);
    cl_uint un = (cl_uint)n;
    cl_int hi = (cl_int)h;
    mf_set_args(c->kernels[MF_K_gen_loss], 6, MF_ARG(d->mem), MF_ARG(un), MF_ARG(hi),
                MF_ARG(shift), MF_ARG(grad->mem), MF_ARG(terms->mem));
    return mf_launch(c, MF_K_gen_loss, n);
}

mf_status mf_loss_fit(mf_ctx *c, const mf_buf *g, const mf_buf *t, size_t rows, size_t dim,
                      mf_buf *grad, mf_buf *terms) {
    size_t n = rows * dim;
    MF_ASSERT(n > 0 && n <= g->n && n <= t->n && n <= grad->n && n <= terms->n);
    cl_uint ur = (cl_uint)rows, ud = (cl_uint)dim;
    mf_set_args(c->kernels[MF_K_fit_loss], 6, MF_ARG(g->mem), MF_ARG(t->mem), MF_ARG(ur),
                MF_ARG(ud), MF_ARG(grad->mem), MF_ARG(terms->mem));
    return mf_launch(c, MF_K_fit_loss, n);
}

mf_status mf_loss_softmax_ce(mf_ctx *c, const mf_buf *z, const mf_buf *labels, size_t rows,
                             size_t classes, mf_buf *grad, mf_buf *terms) {
    MF_ASSERT(rows > 0 && classes > 0 && rows * classes <= z->n && rows <= labels->n &&
              rows * classes <= grad->n && rows <= terms->n);
    cl_uint ur = (cl_uint)rows, uc = (cl_uint)classes;
    mf_set_args(c->kernels[MF_K_softmax_ce], 6, MF_ARG(z->mem), MF_ARG(labels->mem), MF_ARG(ur),
                MF_ARG(uc), MF_ARG(grad->mem), MF_ARG(terms->mem));
    return mf_launch(c, MF_K_softmax_ce, rows);
}
