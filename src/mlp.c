#include "monoflow/mlp.h"

#include <math.h>
#include <string.h>

#include "internal.h"

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
        mf_linear *ly = &m->layers[l];
        ly->in = cfg->widths[l];
        ly->out = cfg->widths[l + 1];
        ly->w_off = off;
        off += ly->in * ly->out;
        ly->b_off = off;
        off += ly->out;
        ly->act = l == cfg->n_layers - 1 ? cfg->out_act : cfg->hidden_act;
        ly->slope = cfg->slope;
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
        const mf_linear *ly = &m->layers[l];
        MF_TRY(mf_rng_uniform(c, rng, &m->params, ly->w_off, (size_t)in * out, -bound, bound));
        MF_TRY(mf_rng_uniform(c, rng, &m->params, ly->b_off, (size_t)out, -bound, bound));
    }
    return MF_OK;
}

mf_status mf_mlp_forward(mf_ctx *c, mf_mlp *m, const mf_buf *x, size_t x_off, int batch) {
    MF_ASSERT(batch >= 1 && batch <= m->max_batch);
    MF_ASSERT(x_off + (size_t)batch * m->cfg.widths[0] <= x->n);
    m->input = x;
    m->input_off = x_off;
    m->batch = batch;
    for (int l = 0; l < m->cfg.n_layers; l++)
        MF_TRY(mf_linear_forward(c, &m->layers[l], &m->params, l == 0 ? x : &m->act[l],
                                 l == 0 ? x_off : 0, &m->act[l + 1], batch));
    return MF_OK;
}

mf_status mf_mlp_backward(mf_ctx *c, mf_mlp *m, int flags) {
    MF_ASSERT(m->input && m->batch >= 1);
    mf_buf *grads = (flags & MF_BACK_PARAMS) ? &m->grads : NULL;
    int acc = (flags & MF_BACK_ACCUMULATE) != 0;
    mf_buf *delta = &m->dout;
    for (int l = m->cfg.n_layers - 1; l >= 0; l--) {
        /* dX goes to the other scratch buffer (ping-pong), or to din for the input */
        mf_buf *dx = l > 0 ? &m->scratch[(m->cfg.n_layers - 1 - l) % 2]
                     : (flags & MF_BACK_INPUT) ? &m->din
                                               : NULL;
        MF_TRY(mf_linear_backward(c, &m->layers[l], &m->params, l == 0 ? m->input : &m->act[l],
                                  l == 0 ? m->input_off : 0, &m->act[l + 1], delta, m->batch,
                                  grads, acc, dx));
        delta = dx;
    }
    return MF_OK;
}
