#include "monoflow/mlp.h"

#include <math.h>
#include <string.h>

#include "monoflow/gemm.h"
#include "internal.h"

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

mf_status mf_mlp_config_check(const mf_mlp_config *cfg) {
    if (cfg->n_layers < 1 || cfg->n_layers > MF_MLP_MAX_LAYERS)
        return mf_fail(MF_ERR_ARG, "an MLP needs 1 to %d layers, not %d", MF_MLP_MAX_LAYERS,
                       cfg->n_layers);
    for (int l = 0; l <= cfg->n_layers; l++)
        if (cfg->widths[l] < 1 || cfg->widths[l] > (1 << 20))
            return mf_fail(MF_ERR_ARG,
                           "layer width %d (position %d) must be between 1 and 1048576: give "
                           "every layer at least one unit",
                           cfg->widths[l], l);
    if ((unsigned)cfg->hidden_act >= MF_ACT_COUNT || (unsigned)cfg->out_act >= MF_ACT_COUNT)
        return mf_fail(MF_ERR_ARG, "unknown activation code");
    if (!(cfg->slope >= 0.0f && cfg->slope < 1.0f))
        return mf_fail(MF_ERR_ARG, "leaky ReLU slope %g must be in [0, 1)", cfg->slope);
    return MF_OK;
}

static int max_width(const mf_mlp_config *cfg) {
    int w = 0;
    for (int l = 0; l <= cfg->n_layers; l++)
        if (cfg->widths[l] > w) w = cfg->widths[l];
    return w;
}

static mf_status alloc_buffers(mf_ctx *c, mf_mlp *m) {
    const mf_mlp_config *cfg = &m->cfg;
    size_t B = (size_t)m->max_batch, L = (size_t)cfg->n_layers;
    MF_TRY(mf_buf_alloc(c, m->n_params, &m->params));
    MF_TRY(mf_buf_alloc(c, m->n_params, &m->grads));
    for (size_t l = 1; l <= L; l++) MF_TRY(mf_buf_alloc(c, B * cfg->widths[l], &m->act[l]));
    MF_TRY(mf_buf_alloc(c, B * cfg->widths[L], &m->dout));
    MF_TRY(mf_buf_alloc(c, B * cfg->widths[0], &m->din));
    MF_TRY(mf_buf_alloc(c, B * max_width(cfg), &m->scratch[0]));
    return mf_buf_alloc(c, B * max_width(cfg), &m->scratch[1]);
}

mf_status mf_mlp_create(mf_ctx *c, const mf_mlp_config *cfg, int max_batch, mf_mlp *m) {
    memset(m, 0, sizeof *m);
    MF_TRY(mf_mlp_config_check(cfg));
    if (max_batch < 1) return mf_fail(MF_ERR_ARG, "batch size %d must be at least 1", max_batch);
    m->cfg = *cfg;
    m->max_batch = max_batch;
    size_t off = 0;
    for (int l = 0; l < cfg->n_layers; l++) {
        m->w_off[l] = off;
        off += (size_t)cfg->widths[l + 1] * cfg->widths[l];
        m->b_off[l] = off;
        off += (size_t)cfg->widths[l + 1];
    }
    m->n_params = off;
    mf_status st = alloc_buffers(c, m);
    if (st != MF_OK) mf_mlp_destroy(c, m);
    return st;
}

void mf_mlp_destroy(mf_ctx *c, mf_mlp *m) {
    mf_buf_free(c, &m->params);
    mf_buf_free(c, &m->grads);
    for (int l = 0; l <= MF_MLP_MAX_LAYERS; l++) mf_buf_free(c, &m->act[l]);
    mf_buf_free(c, &m->dout);
    mf_buf_free(c, &m->din);
    mf_buf_free(c, &m->scratch[0]);
    mf_buf_free(c, &m->scratch[1]);
}

mf_status mf_mlp_init(mf_ctx *c, mf_mlp *m, mf_rng *rng) {
    for (int l = 0; l < m->cfg.n_layers; l++) {
        int in = m->cfg.widths[l], out = m->cfg.widths[l + 1];
        float bound = (float)(1.0 / sqrt((double)in));
        MF_TRY(mf_rng_uniform(c, rng, &m->params, m->w_off[l], (size_t)in * out, -bound, bound));
        MF_TRY(mf_rng_uniform(c, rng, &m->params, m->b_off[l], (size_t)out, -bound, bound));
    }
    return MF_OK;
}

static mf_act layer_act(const mf_mlp *m, int l) {
    return l == m->cfg.n_layers - 1 ? m->cfg.out_act : m->cfg.hidden_act;
}

mf_status mf_mlp_forward(mf_ctx *c, mf_mlp *m, const mf_buf *x, size_t x_off, int batch) {
    MF_ASSERT(batch >= 1 && batch <= m->max_batch);
    MF_ASSERT(x_off + (size_t)batch * m->cfg.widths[0] <= x->n);
    m->input = x;
    m->input_off = x_off;
    m->batch = batch;
    for (int l = 0; l < m->cfg.n_layers; l++) {
        size_t in = m->cfg.widths[l], out = m->cfg.widths[l + 1];
        mf_mat a = {l == 0 ? x : &m->act[l], l == 0 ? x_off : 0, in, 0};
        mf_mat w = {&m->params, m->w_off[l], in, 1};
        MF_TRY(mf_gemm(c, batch, out, in, 1.0f, a, w, 0.0f, &m->act[l + 1], 0, out));
        cl_uint bo = (cl_uint)m->b_off[l], rows = (cl_uint)batch, cols = (cl_uint)out;
        cl_int act = layer_act(m, l);
        mf_set_args(c->kernels[MF_K_bias_act], 7, MF_ARG(m->act[l + 1].mem),
                    MF_ARG(m->params.mem), MF_ARG(bo), MF_ARG(rows), MF_ARG(cols), MF_ARG(act),
                    MF_ARG(m->cfg.slope));
        MF_TRY(mf_launch(c, MF_K_bias_act, (size_t)batch * out));
    }
    return MF_OK;
}

/* dz = dy * act'(y) in place on delta, and the bias gradient */
static mf_status act_backward(mf_ctx *c, mf_mlp *m, int l, mf_buf *delta, int bias_mode) {
    cl_uint bo = (cl_uint)m->b_off[l], rows = (cl_uint)m->batch;
    cl_uint cols = (cl_uint)m->cfg.widths[l + 1];
    cl_int act = layer_act(m, l), mode = bias_mode;
    mf_set_args(c->kernels[MF_K_act_backward_bias], 10, MF_ARG(delta->mem), MF_ARG(delta->mem),
                MF_ARG(m->act[l + 1].mem), MF_ARG(m->grads.mem), MF_ARG(bo), MF_ARG(rows),
                MF_ARG(cols), MF_ARG(act), MF_ARG(m->cfg.slope), MF_ARG(mode));
    return mf_launch(c, MF_K_act_backward_bias, cols);
}

mf_status mf_mlp_backward(mf_ctx *c, mf_mlp *m, int flags) {
    MF_ASSERT(m->input && m->batch >= 1);
    int params = flags & MF_BACK_PARAMS, acc = flags & MF_BACK_ACCUMULATE;
    int bias_mode = params ? (acc ? 2 : 1) : 0;
    size_t B = (size_t)m->batch;
    mf_buf *delta = &m->dout;
    for (int l = m->cfg.n_layers - 1; l >= 0; l--) {
        size_t in = m->cfg.widths[l], out = m->cfg.widths[l + 1];
        MF_TRY(act_backward(c, m, l, delta, bias_mode));
        if (params) { /* dW = dZ^T X */
            mf_mat dz = {delta, 0, out, 1};
            mf_mat x = {l == 0 ? m->input : &m->act[l], l == 0 ? m->input_off : 0, in, 0};
            MF_TRY(mf_gemm(c, out, in, B, 1.0f, dz, x, acc ? 1.0f : 0.0f, &m->grads,
                           m->w_off[l], in));
        }
        if (l == 0 && !(flags & MF_BACK_INPUT)) break;
        /* dX = dZ W, into the next delta (ping-pong), or din for the input */
        mf_buf *next = l == 0 ? &m->din : &m->scratch[(m->cfg.n_layers - 1 - l) % 2];
        mf_mat dz = {delta, 0, out, 0};
        mf_mat w = {&m->params, m->w_off[l], in, 0};
        MF_TRY(mf_gemm(c, B, in, out, 1.0f, dz, w, 0.0f, next, 0, in));
        delta = next;
    }
    return MF_OK;
}
