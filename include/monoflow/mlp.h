/* A multilayer perceptron on the device: mf_linear layers, an activation after each; forward, backward to the parameters and to the
 * input. All parameters sit in one flat buffer [W0 b0 W1 b1 ...], their gradients in another
 * of the same layout, so an optimiser step is one launch. */
#ifndef MONOFLOW_MLP_H
#define MONOFLOW_MLP_H

#include "monoflow/buffer.h"
#include "monoflow/linear.h"
#include "monoflow/rng.h"

#define MF_MLP_MAX_LAYERS 16

typedef struct {
    int n_layers;                          /* linear layers, 1..MF_MLP_MAX_LAYERS */
    int widths[MF_MLP_MAX_LAYERS + 1];     /* widths[0] = input, widths[n_layers] = output */
    mf_act hidden_act;                     /* after every layer but the last */
    mf_act out_act;                        /* after the last */
    float slope;                           /* leaky ReLU's negative slope, >= 0 */
} mf_mlp_config;

/* backward: what to compute */
enum {
    MF_BACK_PARAMS = 1,     /* parameter gradients (overwritten) */
    MF_BACK_ACCUMULATE = 2, /* with PARAMS: add to the gradients instead */
    MF_BACK_INPUT = 4       /* gradient to the input, into din */
};

typedef struct {
    mf_mlp_config cfg;
    int max_batch;
    size_t n_params;
    mf_linear layers[MF_MLP_MAX_LAYERS];
    mf_buf params, grads;
    mf_buf act[MF_MLP_MAX_LAYERS + 1]; /* act[l]: output of layer l (act[0] unused) */
    mf_buf dout;                       /* caller writes dL/d(output) here before backward */
    mf_buf din;                        /* backward with MF_BACK_INPUT leaves dL/d(input) here */
    mf_buf scratch[2];
    const mf_buf *input;               /* remembered by forward for backward */
    size_t input_off;
    int batch;
} mf_mlp;

/* Checks the configuration: one clear message for a bad one. */
mf_status mf_mlp_config_check(const mf_mlp_config *cfg);

/* Allocates every buffer for batches up to max_batch; parameters start at zero. */
mf_status mf_mlp_create(mf_ctx *ctx, const mf_mlp_config *cfg, int max_batch, mf_mlp *m);
void mf_mlp_destroy(mf_ctx *ctx, mf_mlp *m);

/* PyTorch's default Linear initialisation: W and b uniform in +-1/sqrt(fan_in). */
mf_status mf_mlp_init(mf_ctx *ctx, mf_mlp *m, mf_rng *rng);

/* out = f(x) for x[x_off ..] of batch x widths[0]; result in m->act[n_layers]. */
mf_status mf_mlp_forward(mf_ctx *ctx, mf_mlp *m, const mf_buf *x, size_t x_off, int batch);

/* Back-propagates m->dout through the last forward; flags from MF_BACK_*. */
mf_status mf_mlp_backward(mf_ctx *ctx, mf_mlp *m, int flags);

static inline mf_buf *mf_mlp_output(mf_mlp *m) { return &m->act[m->cfg.n_layers]; }

#endif
