#include "monoflow/linear.h"

#include <string.h>

#include "monoflow/gemm.h"
#include "internal.h"

/* rows each work-item of the row-blocked kernels covers */
#define MF_ROWS_PER_ITEM 16u

static const char *act_names[MF_ACT_COUNT] = {"identity", "relu", "leakyrelu", "tanh",
                                              "sigmoid"};

const char *mf_act_name(mf_act a) { return (a >= 0 && a < MF_ACT_COUNT) ? act_names[a] : "?"; }

int mf_act_parse(const char *name, mf_act *out) {
    for (int i = 0; i < MF_ACT_COUNT; i++)
        if (!strcmp(name, act_names[i])) {
            *out = (mf_act)i;
            return 0;
        }
    return -1;
}

mf_status mf_bias_act(mf_ctx *c, mf_buf *y, const mf_buf *params, size_t b_off, size_t rows,
                      size_t cols, mf_act act, float slope) {
    MF_ASSERT(rows * cols <= y->n && b_off + cols <= params->n);
    cl_uint bo = (cl_uint)b_off, r = (cl_uint)rows, n = (cl_uint)cols;
    cl_int a = act;
    cl_uint per = MF_ROWS_PER_ITEM;
    mf_set_args(c->kernels[MF_K_bias_act], 8, MF_ARG(y->mem), MF_ARG(params->mem), MF_ARG(bo),
                MF_ARG(r), MF_ARG(n), MF_ARG(a), MF_ARG(slope), MF_ARG(per));
    size_t groups = (rows + MF_ROWS_PER_ITEM - 1) / MF_ROWS_PER_ITEM;
    return mf_launch_rows(c, MF_K_bias_act, cols, groups);
}

mf_status mf_act_backward_bias(mf_ctx *c, mf_buf *delta, const mf_buf *y, mf_buf *grads,
                               size_t db_off, size_t rows, size_t cols, mf_act act, float slope,
                               int bias_mode) {
    MF_ASSERT(rows * cols <= delta->n && rows * cols <= y->n);
    MF_ASSERT(bias_mode == MF_BIAS_SKIP || db_off + cols <= grads->n);
    size_t groups = (rows + MF_ROWS_PER_ITEM - 1) / MF_ROWS_PER_ITEM;
    mf_buf *part = &c->partials;
    MF_TRY(mf_ctx_scratch(c, part, groups * cols));
    cl_uint r = (cl_uint)rows, n = (cl_uint)cols, g = (cl_uint)groups, bo = (cl_uint)db_off;
    cl_int a = act, sums = bias_mode != MF_BIAS_SKIP, acc = bias_mode == MF_BIAS_ADD;
    cl_uint per = MF_ROWS_PER_ITEM;
    mf_set_args(c->kernels[MF_K_act_backward_bias], 10, MF_ARG(delta->mem), MF_ARG(delta->mem),
                MF_ARG(y->mem), MF_ARG(part->mem), MF_ARG(r), MF_ARG(n), MF_ARG(a),
                MF_ARG(slope), MF_ARG(sums), MF_ARG(per));
    MF_TRY(mf_launch_rows(c, MF_K_act_backward_bias, cols, groups));
    if (!sums) return MF_OK;
    mf_set_args(c->kernels[MF_K_col_sum], 6, MF_ARG(part->mem), MF_ARG(g), MF_ARG(n),
                MF_ARG(grads->mem), MF_ARG(bo), MF_ARG(acc));
    return mf_launch(c, MF_K_col_sum, cols);
}

mf_status mf_linear_forward(mf_ctx *c, const mf_linear *l, const mf_buf *params,
                            const mf_buf *x, size_t x_off, mf_buf *y, size_t batch) {
    mf_mat a = {x, x_off, l->in, 0};
    mf_mat w = {params, l->w_off, l->in, 1};
    MF_TRY(mf_gemm(c, batch, l->out, l->in, 1.0f, a, w, 0.0f, y, 0, l->out));
    return mf_bias_act(c, y, params, l->b_off, batch, l->out, l->act, l->slope);
}

mf_status mf_linear_backward(mf_ctx *c, const mf_linear *l, const mf_buf *params,
                             const mf_buf *x, size_t x_off, const mf_buf *y, mf_buf *delta,
                             size_t batch, mf_buf *grads, int accumulate, mf_buf *dx) {
    int mode = !grads ? MF_BIAS_SKIP : accumulate ? MF_BIAS_ADD : MF_BIAS_SET;
    /* the bias kernel needs a valid buffer even when it writes nothing */
    MF_TRY(mf_act_backward_bias(c, delta, y, grads ? grads : delta, l->b_off, batch, l->out,
                                l->act, l->slope, mode));
    if (grads) { /* dW = dZ^T X */
        mf_mat dz = {delta, 0, l->out, 1};
        mf_mat xm = {x, x_off, l->in, 0};
        MF_TRY(mf_gemm(c, l->out, l->in, batch, 1.0f, dz, xm, accumulate ? 1.0f : 0.0f, grads,
                       l->w_off, l->in));
    }
    if (dx) { /* dX = dZ W */
        mf_mat dz = {delta, 0, l->out, 0};
        mf_mat w = {params, l->w_off, l->in, 0};
        MF_TRY(mf_gemm(c, batch, l->in, l->out, 1.0f, dz, w, 0.0f, dx, 0, l->in));
    }
    return MF_OK;
}
