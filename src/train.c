#include "monoflow/train.h"

#include <stdlib.h>
#include <string.h>

#include "monoflow/loss.h"
#include "monoflow/push.h"
#include "monoflow/reduce.h"
#include "internal.h"

/* slots of the stats buffer */
enum { S_D_LOSS, S_G_LOSS, S_D_REAL, S_D_FAKE, S_PUSH, S_COUNT };

static void net_config(mf_mlp_config *m, int in, const mf_widths *hidden, int width, int depth,
                       int out, int act, int out_act, float slope) {
    memset(m, 0, sizeof *m);
    int n = mf_config_hidden(hidden, width, depth, m->widths + 1);
    m->n_layers = n + 1;
    m->widths[0] = in;
    m->widths[n + 1] = out;
    m->hidden_act = (mf_act)act;
    m->out_act = (mf_act)out_act;
    m->slope = slope;
}

static mf_status alloc_all(mf_trainer *t) {
    const mf_config *c = &t->cfg;
    mf_ctx *ctx = t->ctx;
    int n = t->n_fake, dim = t->dim;
    mf_mlp_config dc;
    net_config(&dc, dim, &c->d_hidden, c->d_width, c->d_depth, 1, c->act, MF_ACT_IDENTITY,
               c->slope);
    MF_TRY(mf_mlp_create(ctx, &dc, 2 * n, &t->d));
    MF_TRY(mf_adam_create(ctx, t->d.n_params, c->lr_d, c->beta1_d, c->beta2_d, 1e-8f,
                          &t->opt_d));
    if (t->has_g) {
        mf_mlp_config gc;
        net_config(&gc, c->latent, &c->g_hidden, c->g_width, c->g_depth, dim, c->act,
                   c->out_act, c->slope);
        MF_TRY(mf_mlp_create(ctx, &gc, c->batch, &t->g));
        MF_TRY(mf_adam_create(ctx, t->g.n_params, c->lr_g, c->beta1_g, c->beta2_g, 1e-8f,
                              &t->opt_g));
        MF_TRY(mf_buf_alloc(ctx, (size_t)c->batch * c->latent, &t->z));
        MF_TRY(mf_buf_alloc(ctx, (size_t)c->batch * dim, &t->target));
        if (c->g_ema > 0) MF_TRY(mf_buf_alloc(ctx, t->g.n_params, &t->g_avg));
    } else {
        MF_TRY(mf_buf_alloc(ctx, (size_t)n * dim, &t->particles));
    }
    MF_TRY(mf_buf_alloc(ctx, (size_t)2 * n * dim, &t->rf));
    size_t terms = (size_t)2 * n > (size_t)n * dim ? (size_t)2 * n : (size_t)n * dim;
    MF_TRY(mf_buf_alloc(ctx, terms, &t->terms));
    return mf_buf_alloc(ctx, S_COUNT, &t->stats);
}

mf_status mf_trainer_create(mf_ctx *ctx, const mf_config *cfg, mf_trainer *t) {
    memset(t, 0, sizeof *t);
    t->cfg = *cfg;
    t->ctx = ctx;
    MF_TRY(mf_config_check(cfg));
    MF_TRY(mf_data_open(ctx, cfg->data, &t->data));
    t->dim = t->data.dim;
    t->has_g = cfg->mode != MF_MODE_FLOW;
    t->n_fake = t->has_g ? cfg->batch : cfg->particles;
    mf_status st = alloc_all(t);
    if (st != MF_OK) {
        mf_trainer_destroy(t);
        return st;
    }
    /* parameters first, then the particles: the order fixes what the seed means */
    mf_rng_init(&t->rng, cfg->seed);
    st = mf_mlp_init(ctx, &t->d, &t->rng);
    if (st == MF_OK && t->has_g) st = mf_mlp_init(ctx, &t->g, &t->rng);
    if (st == MF_OK && t->g_avg.mem)
        st = mf_buf_copy(ctx, &t->g.params, 0, &t->g_avg, 0, t->g.n_params);
    if (st == MF_OK && !t->has_g)
        st = mf_rng_normal(ctx, &t->rng, &t->particles, 0, (size_t)t->n_fake * t->dim, 0, 1);
    if (st != MF_OK) mf_trainer_destroy(t);
    return st;
}

void mf_trainer_destroy(mf_trainer *t) {
    mf_ctx *c = t->ctx;
    if (!c) return;
    for (int i = 0; i < 2; i++)
        if (t->inflight[i]) clReleaseEvent(t->inflight[i]);
    mf_mlp_destroy(c, &t->d);
    mf_adam_destroy(c, &t->opt_d);
    if (t->has_g) {
        mf_mlp_destroy(c, &t->g);
        mf_adam_destroy(c, &t->opt_g);
    }
    mf_buf_free(c, &t->z);
    mf_buf_free(c, &t->target);
    mf_buf_free(c, &t->g_avg);
    mf_buf_free(c, &t->particles);
    mf_buf_free(c, &t->rf);
    mf_buf_free(c, &t->terms);
    mf_buf_free(c, &t->stats);
    mf_data_close(c, &t->data);
    t->ctx = NULL;
}

/* z ~ N(0, I), then the generator's forward: its output is mf_mlp_output(&t->g) */
static mf_status generate(mf_trainer *t) {
    size_t B = t->cfg.batch;
    MF_TRY(mf_rng_normal(t->ctx, &t->rng, &t->z, 0, B * t->cfg.latent, 0, 1));
    return mf_mlp_forward(t->ctx, &t->g, &t->z, 0, (int)B);
}

/* one Adam step of G on its gradients, then the average follows */
static mf_status g_update(mf_trainer *t) {
    MF_TRY(mf_adam_step(t->ctx, &t->opt_g, &t->g.params, &t->g.grads));
    if (!t->g_avg.mem) return MF_OK;
    return mf_ema_step(t->ctx, mf_ema_decay(t->cfg.g_ema, t->opt_g.step), &t->g_avg,
                       &t->g.params);
}

/* (3): one Adam step of D on n real rows and n generated rows */
static mf_status d_step(mf_trainer *t, int want_stats) {
    mf_ctx *c = t->ctx;
    size_t n = t->n_fake, dim = t->dim;
    MF_TRY(mf_data_sample(c, &t->data, &t->rng, &t->rf, 0, n));
    if (t->has_g) {
        MF_TRY(generate(t));
        MF_TRY(mf_buf_copy(c, mf_mlp_output(&t->g), 0, &t->rf, n * dim, n * dim));
    } else {
        MF_TRY(mf_buf_copy(c, &t->particles, 0, &t->rf, n * dim, n * dim));
    }
    MF_TRY(mf_mlp_forward(c, &t->d, &t->rf, 0, (int)(2 * n)));
    mf_buf *logits = mf_mlp_output(&t->d);
    MF_TRY(mf_loss_logistic(c, logits, n, n, &t->d.dout, &t->terms));
    if (want_stats) {
        MF_TRY(mf_sum(c, &t->terms, 0, 2 * n, &t->stats, S_D_LOSS));
        MF_TRY(mf_sum(c, logits, 0, n, &t->stats, S_D_REAL));
        MF_TRY(mf_sum(c, logits, n, n, &t->stats, S_D_FAKE));
    }
    MF_TRY(mf_mlp_backward(c, &t->d, MF_BACK_PARAMS));
    return mf_adam_step(c, &t->opt_d, &t->d.params, &t->d.grads);
}

/* grad_x D at the n rows of x (D's output seeded with 1): into t->d.din */
static mf_status grad_d(mf_trainer *t, const mf_buf *x, size_t n) {
    MF_TRY(mf_mlp_forward(t->ctx, &t->d, x, 0, (int)n));
    MF_TRY(mf_buf_fill(t->ctx, &t->d.dout, 0, n, 1.0f));
    return mf_mlp_backward(t->ctx, &t->d, MF_BACK_INPUT);
}

static mf_status push(mf_trainer *t, mf_buf *target, const mf_buf *x, size_t n, int want_stats) {
    const mf_config *c = &t->cfg;
    MF_TRY(grad_d(t, x, n));
    MF_TRY(mf_push(t->ctx, target, x, mf_mlp_output(&t->d), &t->d.din, n, t->dim, (mf_h)c->h,
                   c->c, t->eps, &t->terms));
    if (want_stats) MF_TRY(mf_sum(t->ctx, &t->terms, 0, n, &t->stats, S_PUSH));
    return MF_OK;
}

/* fit mode: push G's samples, then K least-squares steps toward the fixed targets (8) */
static mf_status fit_phase(mf_trainer *t, int want_stats) {
    mf_ctx *c = t->ctx;
    size_t B = t->cfg.batch, dim = t->dim;
    mf_profile_phase(c, MF_PHASE_PUSH);
    MF_TRY(generate(t));
    MF_TRY(push(t, &t->target, mf_mlp_output(&t->g), B, want_stats));
    mf_profile_phase(c, MF_PHASE_FIT);
    for (int k = 0; k < t->cfg.k; k++) {
        /* the first step reuses the forward that made the particles: same z, same theta */
        if (k > 0) MF_TRY(mf_mlp_forward(c, &t->g, &t->z, 0, (int)B));
        MF_TRY(mf_loss_fit(c, mf_mlp_output(&t->g), &t->target, B, dim, &t->g.dout,
                           &t->terms));
        if (want_stats && k == t->cfg.k - 1)
            MF_TRY(mf_sum(c, &t->terms, 0, B * dim, &t->stats, S_G_LOSS));
        MF_TRY(mf_mlp_backward(c, &t->g, MF_BACK_PARAMS));
        MF_TRY(g_update(t));
    }
    return MF_OK;
}

/* one-step mode: one generator step on mean -h(D(g(z))) (11/12) */
static mf_status one_step_phase(mf_trainer *t, int want_stats) {
    mf_ctx *c = t->ctx;
    size_t B = t->cfg.batch, dim = t->dim;
    mf_profile_phase(c, MF_PHASE_FIT);
    MF_TRY(generate(t));
    MF_TRY(mf_mlp_forward(c, &t->d, mf_mlp_output(&t->g), 0, (int)B));
    MF_TRY(mf_loss_gen(c, mf_mlp_output(&t->d), B, (mf_h)t->cfg.h, t->cfg.c, &t->d.dout,
                       &t->terms));
    if (want_stats) MF_TRY(mf_sum(c, &t->terms, 0, B, &t->stats, S_G_LOSS));
    MF_TRY(mf_mlp_backward(c, &t->d, MF_BACK_INPUT));
    MF_TRY(mf_buf_copy(c, &t->d.din, 0, &t->g.dout, 0, B * dim));
    MF_TRY(mf_mlp_backward(c, &t->g, MF_BACK_PARAMS));
    return g_update(t);
}

/* the schedule is a function of the iteration alone, so a resumed run follows it exactly */
static void set_rates(mf_trainer *t) {
    const mf_config *c = &t->cfg;
    double f = mf_lr_factor(c->lr_decay, c->lr_end, t->iter, c->iters);
    t->opt_d.lr = (float)(c->lr_d * f);
    t->eps = (float)(c->eps * mf_lr_factor(c->lr_decay, c->eps_end, t->iter, c->iters));
    if (t->has_g) t->opt_g.lr = (float)(c->lr_g * f);
}

static mf_status iteration(mf_trainer *t, int want_stats) {
    mf_ctx *c = t->ctx;
    set_rates(t);
    mf_profile_phase(c, MF_PHASE_D);
    for (int s = 0; s < t->cfg.d_steps; s++)
        MF_TRY(d_step(t, want_stats && s == t->cfg.d_steps - 1));
    if (t->cfg.mode == MF_MODE_FIT) return fit_phase(t, want_stats);
    if (t->cfg.mode == MF_MODE_ONE_STEP) return one_step_phase(t, want_stats);
    mf_profile_phase(c, MF_PHASE_PUSH);
    return push(t, &t->particles, &t->particles, t->n_fake, want_stats);
}

/* At most two iterations in flight: wait for the one before last, never for the last, so
 * the device always has work queued and the host never runs far ahead. */
static mf_status throttle(mf_trainer *t) {
    if (t->inflight[0]) {
        MF_CL_CHECK(clWaitForEvents(1, &t->inflight[0]));
        clReleaseEvent(t->inflight[0]);
    }
    t->inflight[0] = t->inflight[1];
    t->inflight[1] = NULL;
    MF_CL_CHECK(clEnqueueMarkerWithWaitList(t->ctx->queue, 0, NULL, &t->inflight[1]));
    MF_CL_CHECK(clFlush(t->ctx->queue));
    return MF_OK;
}

mf_status mf_trainer_step(mf_trainer *t, int want_stats) {
    mf_ctx *c = t->ctx;
    int was = mf_profile_enabled(c);
    if (want_stats) {
        MF_TRY(mf_buf_fill(c, &t->stats, 0, S_COUNT, 0.0f));
        mf_profile_reset(c);
        mf_profile_enable(c, 1);
    }
    mf_status st = iteration(t, want_stats);
    mf_profile_enable(c, was);
    mf_profile_phase(c, MF_PHASE_OTHER);
    if (st != MF_OK) return st;
    t->iter++;
    return throttle(t);
}

mf_status mf_trainer_stats(mf_trainer *t, mf_train_stats *o) {
    float s[S_COUNT];
    MF_TRY(mf_buf_read(t->ctx, &t->stats, 0, S_COUNT, s));
    MF_TRY(mf_profile_collect(t->ctx));
    memset(o, 0, sizeof *o);
    double n = t->n_fake;
    o->iteration = t->iter;
    o->d_loss = s[S_D_LOSS];
    o->g_loss = s[S_G_LOSS];
    o->d_real = s[S_D_REAL] / n;
    o->d_fake = s[S_D_FAKE] / n;
    o->kl_pq = o->d_real;
    o->kl_qp = -o->d_fake;
    o->push_len = t->cfg.mode == MF_MODE_ONE_STEP ? 0 : s[S_PUSH] / n;
    int ne;
    const mf_profile_entry *e = mf_profile_entries(t->ctx, &ne);
    double flops = 0, gemm_sec = 0;
    for (int i = 0; i < ne; i++) {
        if (e[i].flops > 0) {
            flops += e[i].flops;
            gemm_sec += e[i].seconds;
        }
        if (e[i].phase == MF_PHASE_D) o->sec_d += e[i].seconds;
        if (e[i].phase == MF_PHASE_PUSH) o->sec_push += e[i].seconds;
        if (e[i].phase == MF_PHASE_FIT) o->sec_fit += e[i].seconds;
    }
    o->gemm_gflops = gemm_sec > 0 ? flops / gemm_sec * 1e-9 : 0;
    mf_profile_reset(t->ctx);
    return MF_OK;
}

mf_status mf_trainer_generate(mf_trainer *t, uint64_t seed, size_t n, float *out) {
    size_t dim = t->dim;
    if (!t->has_g) {
        if (n > (size_t)t->n_fake)
            return mf_fail(MF_ERR_ARG, "this flow run has %d particles; ask for at most that many",
                           t->n_fake);
        return mf_buf_read(t->ctx, &t->particles, 0, n * dim, out);
    }
    mf_rng keep = t->rng;
    mf_rng_init(&t->rng, seed);
    mf_status st = MF_OK;
    /* the forward reads G's parameters from g.params: lend it the average meanwhile */
    mf_buf trained = t->g.params;
    if (t->g_avg.mem) t->g.params = t->g_avg;
    for (size_t done = 0; done < n && st == MF_OK;) {
        size_t chunk = n - done < (size_t)t->cfg.batch ? n - done : (size_t)t->cfg.batch;
        st = mf_rng_normal(t->ctx, &t->rng, &t->z, 0, chunk * t->cfg.latent, 0, 1);
        if (st == MF_OK) st = mf_mlp_forward(t->ctx, &t->g, &t->z, 0, (int)chunk);
        if (st == MF_OK) st = mf_buf_read(t->ctx, mf_mlp_output(&t->g), 0, chunk * dim, out + done * dim);
        done += chunk;
    }
    t->g.params = trained;
    t->rng = keep;
    return st;
}

mf_status mf_trainer_eval_d(mf_trainer *t, const float *points, size_t n, float *out) {
    size_t cap = (size_t)t->d.max_batch, dim = t->dim;
    for (size_t done = 0; done < n;) {
        size_t chunk = n - done < cap ? n - done : cap;
        MF_TRY(mf_buf_write(t->ctx, &t->rf, 0, chunk * dim, points + done * dim));
        MF_TRY(mf_mlp_forward(t->ctx, &t->d, &t->rf, 0, (int)chunk));
        MF_TRY(mf_buf_read(t->ctx, mf_mlp_output(&t->d), 0, chunk, out + done));
        done += chunk;
    }
    return MF_OK;
}

mf_status mf_trainer_real(mf_trainer *t, uint64_t seed, size_t n, float *out) {
    size_t cap = (size_t)2 * t->n_fake, dim = t->dim;
    mf_rng r;
    mf_rng_init(&r, seed);
    for (size_t done = 0; done < n;) {
        size_t chunk = n - done < cap ? n - done : cap;
        MF_TRY(mf_data_sample(t->ctx, &t->data, &r, &t->rf, 0, chunk));
        MF_TRY(mf_buf_read(t->ctx, &t->rf, 0, chunk * dim, out + done * dim));
        done += chunk;
    }
    return MF_OK;
}
