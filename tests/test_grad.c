/* Gradients. (1) The C reference's backward of every loss and of an MLP (to weights, biases
 * and input, every activation) against central finite differences in double:
 * |fd - analytic| <= 1e-6 + 1e-5 |analytic|, step 1e-6. (2) The device's MLP forward and
 * backward against that reference: forward |d| <= 1e-5 + 1e-4 |ref|, gradients
 * |d| <= 1e-5 + 1e-3 |ref| (float sums of up to 32 terms against double). */
#include <string.h>

#include "monoflow/mlp.h"
#include "monoflow/ref.h"
#include "test_util.h"

#define FD_STEP 1e-6
#define FD_ATOL 1e-6
#define FD_RTOL 1e-5

static int fd_close(double fd, double an) { return close_to(fd, an, FD_ATOL, FD_RTOL); }

typedef double (*loss_fn)(double *x, void *user);

/* central differences of f at every x[i], compared with grad[i] */
static void check_fd(const char *what, loss_fn f, double *x, size_t n, const double *grad,
                     void *user) {
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        double keep = x[i];
        x[i] = keep + FD_STEP;
        double up = f(x, user);
        x[i] = keep - FD_STEP;
        double down = f(x, user);
        x[i] = keep;
        double fd = (up - down) / (2 * FD_STEP);
        if (!fd_close(fd, grad[i])) {
            if (!bad)
                fprintf(stderr, "  %s [%zu]: finite difference %.10g, analytic %.10g\n", what, i,
                        fd, grad[i]);
            bad++;
        }
    }
    CHECK(bad == 0, "%s: %d of %zu gradients differ from finite differences", what, bad, n);
}

/* ---- losses ---- */
enum { NR = 6, NF = 5, DIM = 2 };
static double tmp_grad[64];
static double target[NR * DIM];
static mf_h cur_h;

static double f_logistic(double *d, void *u) { return mf_ref_loss_logistic(d, NR, NF, tmp_grad); }
static double f_gen(double *d, void *u) { return mf_ref_loss_gen(d, NR, cur_h, 5.0, tmp_grad); }
static double f_fit(double *g, void *u) { return mf_ref_loss_fit(g, target, NR, DIM, tmp_grad); }

static void test_loss_grads(void) {
    double d[NR + NF], grad[NR * DIM > NR + NF ? NR * DIM : NR + NF];
    float r[NR * DIM + NR + NF];
    fill_random(r, NR * DIM + NR + NF, 5, -4, 4);
    for (int i = 0; i < NR + NF; i++) d[i] = r[i];
    mf_ref_loss_logistic(d, NR, NF, grad);
    check_fd("logistic loss", f_logistic, d, NR + NF, grad, NULL);
    for (int h = 0; h < MF_H_COUNT; h++) {
        cur_h = (mf_h)h;
        mf_ref_loss_gen(d, NR, cur_h, 5.0, grad);
        char what[64];
        snprintf(what, sizeof what, "generator loss h=%s", mf_h_name(cur_h));
        check_fd(what, f_gen, d, NR, grad, NULL);
        /* h' itself against the difference quotient of h, so the push uses the right slope */
        for (int i = 0; i < NR; i++) {
            double fd = (mf_ref_h(d[i] + FD_STEP, cur_h, 5.0) - mf_ref_h(d[i] - FD_STEP, cur_h, 5.0)) /
                        (2 * FD_STEP);
            CHECK(fd_close(fd, mf_ref_h_deriv(d[i], cur_h, 5.0)), "h'=%s at %g: fd %g, h' %g",
                  mf_h_name(cur_h), d[i], fd, mf_ref_h_deriv(d[i], cur_h, 5.0));
            CHECK(mf_ref_h_deriv(d[i], cur_h, 5.0) > 0, "h=%s is not increasing at %g",
                  mf_h_name(cur_h), d[i]);
        }
    }
    double g[NR * DIM];
    for (int i = 0; i < NR * DIM; i++) g[i] = r[i] / 2, target[i] = r[NR * DIM - 1 - i];
    mf_ref_loss_fit(g, target, NR, DIM, grad);
    check_fd("fit loss", f_fit, g, NR * DIM, grad, NULL);
}

/* ---- MLP: L = sum(w .* f(x)) so dL/dy = w ---- */
typedef struct {
    const mf_mlp_config *cfg;
    double *params, *x, *acts;
    const double *w;
    int batch;
} mlp_problem;

static double mlp_loss(const mlp_problem *p) {
    const double *y = mf_ref_mlp_forward(p->cfg, p->params, p->x, p->batch, p->acts);
    double s = 0;
    for (int i = 0; i < p->batch * p->cfg->widths[p->cfg->n_layers]; i++) s += p->w[i] * y[i];
    return s;
}
static double f_params(double *params, void *u) {
    mlp_problem *p = u;
    p->params = params;
    return mlp_loss(p);
}
static double f_input(double *x, void *u) {
    mlp_problem *p = u;
    p->x = x;
    return mlp_loss(p);
}

static mf_mlp_config small_config(mf_act hidden, mf_act out) {
    mf_mlp_config c = {.n_layers = 3, .widths = {3, 5, 4, 2}, .hidden_act = hidden,
                       .out_act = out, .slope = 0.2f};
    return c;
}

static void test_ref_mlp_grads(void) {
    for (int a = 0; a < MF_ACT_COUNT; a++) {
        mf_mlp_config cfg = small_config((mf_act)a, (mf_act)((a + 3) % MF_ACT_COUNT));
        size_t wo[MF_MLP_MAX_LAYERS], bo[MF_MLP_MAX_LAYERS];
        size_t np = mf_ref_mlp_layout(&cfg, wo, bo);
        int batch = 4, nin = batch * 3, nout = batch * 2;
        double *params = malloc(np * 8), *grads = malloc(np * 8), x[12], din[12], w[8];
        double *acts = malloc(mf_ref_mlp_acts_size(&cfg, batch) * 8);
        float r[256];
        fill_random(r, np + nin + nout, 60 + a, -1, 1);
        for (size_t i = 0; i < np; i++) params[i] = r[i];
        for (int i = 0; i < nin; i++) x[i] = 2 * r[np + i];
        for (int i = 0; i < nout; i++) w[i] = r[np + nin + i];
        mlp_problem p = {&cfg, params, x, acts, w, batch};
        mlp_loss(&p);
        mf_ref_mlp_backward(&cfg, params, x, batch, acts, w, grads, din);
        char what[96];
        snprintf(what, sizeof what, "reference MLP %s/%s, weights and biases",
                 mf_act_name(cfg.hidden_act), mf_act_name(cfg.out_act));
        check_fd(what, f_params, params, np, grads, &p);
        snprintf(what, sizeof what, "reference MLP %s/%s, input", mf_act_name(cfg.hidden_act),
                 mf_act_name(cfg.out_act));
        check_fd(what, f_input, x, nin, din, &p);
        free(params), free(grads), free(acts);
    }
}

/* ---- the device against the reference ---- */
static void test_device_mlp(mf_ctx *ctx) {
    for (int a = 0; a < MF_ACT_COUNT; a++) {
        mf_mlp_config cfg = {.n_layers = 3, .widths = {5, 32, 16, 3}, .hidden_act = (mf_act)a,
                             .out_act = (mf_act)((a + 2) % MF_ACT_COUNT), .slope = 0.2f};
        int batch = 20, nin = batch * 5, nout = batch * 3;
        mf_mlp m;
        MUST(mf_mlp_create(ctx, &cfg, 32, &m));
        size_t np = m.n_params;
        float *pf = malloc(np * 4), *xf = malloc(nin * 4), *wf = malloc(nout * 4);
        fill_random(pf, np, 70 + a, -0.5f, 0.5f);
        fill_random(xf, nin, 80 + a, -2, 2);
        fill_random(wf, nout, 90 + a, -1, 1);
        double *pd = malloc(np * 8), *xd = malloc(nin * 8), *wd = malloc(nout * 8);
        for (size_t i = 0; i < np; i++) pd[i] = pf[i];
        for (int i = 0; i < nin; i++) xd[i] = xf[i];
        for (int i = 0; i < nout; i++) wd[i] = wf[i];
        double *acts = malloc(mf_ref_mlp_acts_size(&cfg, batch) * 8), *gref = malloc(np * 8);
        double din_ref[100];
        const double *yref = mf_ref_mlp_forward(&cfg, pd, xd, batch, acts);
        mf_ref_mlp_backward(&cfg, pd, xd, batch, acts, wd, gref, din_ref);

        mf_buf x;
        MUST(mf_buf_alloc(ctx, nin + 7, &x));
        MUST(mf_buf_write(ctx, &x, 7, nin, xf));
        MUST(mf_buf_write(ctx, &m.params, 0, np, pf));
        MUST(mf_mlp_forward(ctx, &m, &x, 7, batch));
        MUST(mf_buf_write(ctx, &m.dout, 0, nout, wf));
        MUST(mf_mlp_backward(ctx, &m, MF_BACK_PARAMS | MF_BACK_INPUT));
        float *y = malloc(nout * 4), *g = malloc(np * 4), din[100];
        MUST(mf_buf_read(ctx, mf_mlp_output(&m), 0, nout, y));
        MUST(mf_buf_read(ctx, &m.grads, 0, np, g));
        MUST(mf_buf_read(ctx, &m.din, 0, nin, din));
        char what[96];
        snprintf(what, sizeof what, "device MLP %s/%s forward", mf_act_name(cfg.hidden_act),
                 mf_act_name(cfg.out_act));
        check_close(what, y, yref, nout, 1e-5, 1e-4);
        snprintf(what, sizeof what, "device MLP %s/%s parameter gradients",
                 mf_act_name(cfg.hidden_act), mf_act_name(cfg.out_act));
        check_close(what, g, gref, np, 1e-5, 1e-3);
        snprintf(what, sizeof what, "device MLP %s/%s input gradient",
                 mf_act_name(cfg.hidden_act), mf_act_name(cfg.out_act));
        check_close(what, din, din_ref, nin, 1e-5, 1e-3);

        /* accumulate: a second backward adds the same gradients again */
        MUST(mf_buf_write(ctx, &m.dout, 0, nout, wf));
        MUST(mf_mlp_backward(ctx, &m, MF_BACK_PARAMS | MF_BACK_ACCUMULATE));
        MUST(mf_buf_read(ctx, &m.grads, 0, np, g));
        for (size_t i = 0; i < np; i++) gref[i] *= 2;
        snprintf(what, sizeof what, "device MLP %s accumulated gradients",
                 mf_act_name(cfg.hidden_act));
        check_close(what, g, gref, np, 2e-5, 1e-3);

        free(pf), free(xf), free(wf), free(pd), free(xd), free(wd), free(acts), free(gref);
        free(y), free(g);
        mf_buf_free(ctx, &x);
        mf_mlp_destroy(ctx, &m);
    }
}

int main(void) {
    test_loss_grads();
    test_ref_mlp_grads();
    mf_ctx *ctx = test_ctx();
    test_device_mlp(ctx);
    mf_ctx_destroy(ctx);
    return test_finish("test_grad");
}
