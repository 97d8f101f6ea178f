/* One linear layer with its activation, llm.c style: y = act(x W^T + b), W of out x in as in
 * PyTorch, W and b at offsets of a flat parameter buffer. The product goes to CLBlast; the
 * bias, activation and their backward are the project's kernels (cl/linear.cl). */
#ifndef MONOFLOW_LINEAR_H
#define MONOFLOW_LINEAR_H

#include "monoflow/buffer.h"

/* codes match cl/common.cl */
typedef enum {
    MF_ACT_IDENTITY,
    MF_ACT_RELU,
    MF_ACT_LEAKY_RELU,
    MF_ACT_TANH,
    MF_ACT_SIGMOID,
    MF_ACT_COUNT
} mf_act;

const char *mf_act_name(mf_act a);
int mf_act_parse(const char *name, mf_act *out); /* 0 ok, -1 unknown */

typedef struct {
    size_t in, out;      /* widths */
    size_t w_off, b_off; /* into the parameter (and gradient) buffer */
    mf_act act;
    float slope;         /* leaky ReLU's negative slope, >= 0 */
} mf_linear;

/* y[rows x cols] = act(y + b) in place (the step after the product). */
mf_status mf_bias_act(mf_ctx *ctx, mf_buf *y, const mf_buf *params, size_t b_off, size_t rows,
                      size_t cols, mf_act act, float slope);

/* Bias gradient modes of mf_act_backward_bias */
enum { MF_BIAS_SKIP = 0, MF_BIAS_SET = 1, MF_BIAS_ADD = 2 };

/* delta *= act'(y) in place, act' taken from the output y; the column sums of the result
 * go to grads[db_off ..] per mode. */
mf_status mf_act_backward_bias(mf_ctx *ctx, mf_buf *delta, const mf_buf *y, mf_buf *grads,
                               size_t db_off, size_t rows, size_t cols, mf_act act, float slope,
                               int bias_mode);

/* y = act(x W^T + b) for x[x_off ..] of batch x in. */
mf_status mf_linear_forward(mf_ctx *ctx, const mf_linear *l, const mf_buf *params,
                            const mf_buf *x, size_t x_off, mf_buf *y, size_t batch);

/* From delta = dL/dy (overwritten with dL/d(pre-activation)): the parameter gradients when
 * grads is not NULL (added when accumulate), and dL/dx into dx when dx is not NULL. */
mf_status mf_linear_backward(mf_ctx *ctx, const mf_linear *l, const mf_buf *params,
                             const mf_buf *x, size_t x_off, const mf_buf *y, mf_buf *delta,
                             size_t batch, mf_buf *grads, int accumulate, mf_buf *dx);

#endif
