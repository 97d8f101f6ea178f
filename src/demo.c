#include "monoflow/timing.h"
#include "monoflow/demo.h"

#include <math.h>
#include <stdlib.h>

#include "monoflow/loss.h"
#include "monoflow/mlp.h"
#include "monoflow/optim.h"
#include "monoflow/reduce.h"
#include "monoflow/ref.h"
#include "internal.h"

/* inputs and targets, made on the host from the seed so the task never changes */
static void make_task(const mf_demo_config *cfg, float *x, float *y) {
    mf_ref_uniform(cfg->seed ^ 0x7461736bULL, 0, (size_t)cfg->points * 2, -2.0f, 2.0f, x);
    for (int i = 0; i < cfg->points; i++)
        y[i] = (float)(sin(1.5 * x[2 * i]) * cos(x[2 * i + 1]));
}

typedef struct {
    mf_mlp net;
    mf_adam adam;
    mf_buf x, y, terms, loss;
} demo_state;

static void state_free(mf_ctx *c, demo_state *s) {
    mf_mlp_destroy(c, &s->net);
    mf_adam_destroy(c, &s->adam);
    mf_buf_free(c, &s->x);
    mf_buf_free(c, &s->y);
    mf_buf_free(c, &s->terms);
    mf_buf_free(c, &s->loss);
}

static mf_status state_init(mf_ctx *c, const mf_demo_config *cfg, demo_state *s) {
    mf_mlp_config nc = {.n_layers = 3,
                        .widths = {2, cfg->hidden, cfg->hidden, 1},
                        .hidden_act = MF_ACT_TANH,
                        .out_act = MF_ACT_IDENTITY};
    MF_TRY(mf_mlp_create(c, &nc, cfg->points, &s->net));
    mf_rng rng;
    mf_rng_init(&rng, cfg->seed);
    MF_TRY(mf_mlp_init(c, &s->net, &rng));
    MF_TRY(mf_adam_create(c, s->net.n_params, cfg->lr, 0.9f, 0.999f, 1e-8f, &s->adam));
    MF_TRY(mf_buf_alloc(c, (size_t)cfg->points * 2, &s->x));
    MF_TRY(mf_buf_alloc(c, (size_t)cfg->points, &s->y));
    MF_TRY(mf_buf_alloc(c, (size_t)cfg->points, &s->terms));
    MF_TRY(mf_buf_alloc(c, 1, &s->loss));
    float *hx = malloc(sizeof(float) * cfg->points * 2), *hy = malloc(sizeof(float) * cfg->points);
    if (!hx || !hy) {
        free(hx);
        free(hy);
        return mf_fail(MF_ERR_NOMEM, "out of host memory");
    }
    make_task(cfg, hx, hy);
    mf_status st = mf_buf_write(c, &s->x, 0, (size_t)cfg->points * 2, hx);
    if (st == MF_OK) st = mf_buf_write(c, &s->y, 0, cfg->points, hy);
    free(hx);
    free(hy);
    return st;
}

/* one step: forward, loss (its value into s->loss), backward, Adam; all enqueued */
static mf_status step(mf_ctx *c, demo_state *s, int n) {
    MF_TRY(mf_mlp_forward(c, &s->net, &s->x, 0, n));
    MF_TRY(mf_loss_fit(c, mf_mlp_output(&s->net), &s->y, n, 1, &s->net.dout, &s->terms));
    MF_TRY(mf_sum(c, &s->terms, 0, n, &s->loss, 0));
    MF_TRY(mf_mlp_backward(c, &s->net, MF_BACK_PARAMS));
    return mf_adam_step(c, &s->adam, &s->net.params, &s->net.grads);
}

static mf_status run(mf_ctx *c, const mf_demo_config *cfg, demo_state *s, int log_every,
                     void (*on_log)(int, double, void *), void *user, mf_demo_result *out) {
    double t0 = mf_seconds();
    float loss = 0;
    for (int i = 1; i <= cfg->steps; i++) {
        MF_TRY(step(c, s, cfg->points));
        if (i == 1 || i == cfg->steps || (log_every > 0 && i % log_every == 0)) {
            MF_TRY(mf_buf_read(c, &s->loss, 0, 1, &loss)); /* the loss before step i */
            if (i == 1) out->loss_first = loss;
            if (on_log) on_log(i, loss, user);
        }
    }
    /* the loss after the last update */
    MF_TRY(mf_mlp_forward(c, &s->net, &s->x, 0, cfg->points));
    MF_TRY(mf_loss_fit(c, mf_mlp_output(&s->net), &s->y, cfg->points, 1, &s->net.dout,
                       &s->terms));
    MF_TRY(mf_sum(c, &s->terms, 0, cfg->points, &s->loss, 0));
    MF_TRY(mf_buf_read(c, &s->loss, 0, 1, &loss));
    out->loss_last = loss;
    out->seconds = mf_seconds() - t0;
    out->log_every = log_every;
    return MF_OK;
}

mf_status mf_demo_regression(mf_ctx *c, const mf_demo_config *cfg, int log_every,
                             void (*on_log)(int, double, void *), void *user,
                             mf_demo_result *out, float *final_params, size_t *n_params) {
    if (cfg->steps < 1 || cfg->points < 1 || cfg->hidden < 1 || !(cfg->lr > 0))
        return mf_fail(MF_ERR_ARG, "demo needs steps, points and hidden >= 1 and lr > 0");
    demo_state s = {0};
    mf_status st = state_init(c, cfg, &s);
    if (st == MF_OK) st = run(c, cfg, &s, log_every, on_log, user, out);
    if (st == MF_OK && n_params) *n_params = s.net.n_params;
    if (st == MF_OK && final_params)
        st = mf_buf_read(c, &s.net.params, 0, s.net.n_params, final_params);
    state_free(c, &s);
    return st;
}
