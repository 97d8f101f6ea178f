/* The losses MonoFlow trains with, as device kernels. Each writes the gradient with respect
 * to its input into grad and each element's share of the loss into terms; mf_sum of terms
 * is the loss. */
#ifndef MONOFLOW_LOSS_H
#define MONOFLOW_LOSS_H

#include "monoflow/buffer.h"

/* The monotone h of MONOFLOW.md (codes match cl/common.cl). */
typedef enum { MF_H_LOGIT, MF_H_NS, MF_H_VANILLA, MF_H_ARCSINH, MF_H_JEFFREY, MF_H_COUNT } mf_h;

const char *mf_h_name(mf_h h);
/* 0 on success; -1 for an unknown name */
int mf_h_parse(const char *name, mf_h *out);

/* d = D's logits: rows [0, n_real) data, [n_real, n_real + n_fake) generated.
 * loss = mean softplus(-d_real) + mean softplus(d_fake) (minus objective (3)). */
mf_status mf_loss_logistic(mf_ctx *ctx, const mf_buf *d, size_t n_real, size_t n_fake,
                           mf_buf *grad, mf_buf *terms);

/* loss = mean(-h(d)) over n logits (11/12); c is vanilla's shift. */
mf_status mf_loss_gen(mf_ctx *ctx, const mf_buf *d, size_t n, mf_h h, float c, mf_buf *grad,
                      mf_buf *terms);

/* loss = mean over rows of ||g - t||^2 (8), g and t of rows x dim. */
mf_status mf_loss_fit(mf_ctx *ctx, const mf_buf *g, const mf_buf *t, size_t rows, size_t dim,
                      mf_buf *grad, mf_buf *terms);

/* loss = mean over rows of -log softmax(z)[label], z of rows x classes, labels a class index
 * per row (stored as float); the classifier behind the image scores. */
mf_status mf_loss_softmax_ce(mf_ctx *ctx, const mf_buf *z, const mf_buf *labels, size_t rows,
                             size_t classes, mf_buf *grad, mf_buf *terms);

#endif
