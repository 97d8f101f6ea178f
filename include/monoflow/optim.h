/* Optimisers as device kernels over a flat parameter buffer. */
#ifndef MONOFLOW_OPTIM_H
#define MONOFLOW_OPTIM_H

#include "monoflow/buffer.h"

typedef struct {
    float lr, beta1, beta2, eps;
    long step;    /* t, the number of updates done */
    mf_buf m, v;  /* first and second moments */
} mf_adam;

/* PyTorch's defaults are lr 1e-3, betas (0.9, 0.999), eps 1e-8. */
mf_status mf_adam_create(mf_ctx *ctx, size_t n, float lr, float beta1, float beta2, float eps,
                         mf_adam *out);
void mf_adam_destroy(mf_ctx *ctx, mf_adam *a);
mf_status mf_adam_step(mf_ctx *ctx, mf_adam *a, mf_buf *params, const mf_buf *grads);

mf_status mf_sgd_step(mf_ctx *ctx, float lr, mf_buf *params, const mf_buf *grads);

/* Exponential moving average of parameters: avg = decay avg + (1 - decay) params. */
mf_status mf_ema_step(mf_ctx *ctx, float decay, mf_buf *avg, const mf_buf *params);

/* The decay of the average's step-th update: min(decay, (1 + step) / (10 + step)), so that
 * early on the average follows the weights instead of holding on to their initial values
 * (TensorFlow's ExponentialMovingAverage with num_updates). */
float mf_ema_decay(float decay, long step);

#endif
