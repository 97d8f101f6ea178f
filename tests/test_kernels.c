/* Every project kernel against its plain C reference (src/ref.c), with the tolerances below:
 * elementwise maths |d| <= 1e-6 + 1e-5 |ref|; sums |d| <= 1e-5 + 1e-5 |ref| (n ~ 1e5 floats,
 * reference summed in double); random numbers: uniform bit-identical, normal 1e-5. */
#include <string.h>

#include "monoflow/linear.h"
#include "monoflow/loss.h"
#include "monoflow/optim.h"
#include "monoflow/reduce.h"
#include "monoflow/ref.h"
#include "monoflow/rng.h"
#include "test_util.h"

#define ATOL 1e-6
#define RTOL 1e-5

static mf_ctx *ctx;

static mf_buf upload(const float *x, size_t n) { return test_upload(ctx, x, n); }

static float *download(const mf_buf *b, size_t n) {
    float *x = malloc(n * sizeof *x);
    MUST(mf_buf_read(ctx, b, 0, n, x));
    return x;
}

/* the kernels cover blocks of 16 rows by columns padded to the work-group: shapes that
 * leave a partial block and partial groups, one of them wider than a group (64) */
static void test_bias_act_shape(size_t rows, size_t cols) {
    size_t n = rows * cols, boff = 3;
    float *y = malloc(n * 4), *p = malloc((boff + cols) * 4);
    double *ref = malloc(n * 8);
    for (int a = 0; a < MF_ACT_COUNT; a++) {
        fill_random(y, n, 11, -3, 3);
        fill_random(p, boff + cols, 12, -1, 1);
        mf_buf dy = upload(y, n), dp = upload(p, boff + cols);
        MUST(mf_bias_act(ctx, &dy, &dp, boff, rows, cols, (mf_act)a, 0.2f));
        float *got = download(&dy, n);
        for (size_t i = 0; i < n; i++)
            ref[i] = mf_ref_act((double)y[i] + p[boff + i % cols], (mf_act)a, 0.2);
        char what[64];
        snprintf(what, sizeof what, "bias_act %s %zux%zu", mf_act_name((mf_act)a), rows, cols);
        check_close(what, got, ref, n, ATOL, RTOL);
        free(got);
        mf_buf_free(ctx, &dy);
        mf_buf_free(ctx, &dp);
    }
    free(y), free(p), free(ref);
}

static void test_bias_act(void) {
    test_bias_act_shape(33, 17);
    test_bias_act_shape(300, 70);
    test_bias_act_shape(5, 1);
}

static void test_act_backward_shape(size_t rows, size_t cols) {
    size_t n = rows * cols, boff = 4;
    float *x = malloc(n * 4), *y = malloc(n * 4), *d = malloc(n * 4);
    float *g0 = malloc((boff + cols) * 4);
    double *ref = malloc(n * 8), *dbref = malloc(cols * 8), *want = malloc((boff + cols) * 8);
    for (int a = 0; a < MF_ACT_COUNT; a++)
        for (int mode = MF_BIAS_SKIP; mode <= MF_BIAS_ADD; mode++) {
            fill_random(x, n, 21, -3, 3);
            for (size_t i = 0; i < n; i++) y[i] = (float)mf_ref_act(x[i], (mf_act)a, 0.1);
            fill_random(d, n, 22, -1, 1);
            fill_random(g0, boff + cols, 23, -1, 1);
            mf_buf dd = upload(d, n), dyv = upload(y, n), dg = upload(g0, boff + cols);
            MUST(mf_act_backward_bias(ctx, &dd, &dyv, &dg, boff, rows, cols, (mf_act)a, 0.1f,
                                      mode));
            float *got = download(&dd, n), *gg = download(&dg, boff + cols);
            for (size_t c = 0; c < cols; c++) dbref[c] = 0;
            for (size_t i = 0; i < n; i++) {
                ref[i] = d[i] * mf_ref_act_grad_from_output(y[i], (mf_act)a, 0.1);
                dbref[i % cols] += ref[i];
            }
            char what[80];
            snprintf(what, sizeof what, "act_backward %s mode %d %zux%zu delta",
                     mf_act_name((mf_act)a), mode, rows, cols);
            check_close(what, got, ref, n, ATOL, RTOL);
            for (size_t i = 0; i < boff + cols; i++) {
                double b = i < boff ? 0 : dbref[i - boff];
                want[i] = mode == MF_BIAS_SKIP || i < boff ? g0[i]
                          : mode == MF_BIAS_SET          ? b
                                                         : g0[i] + b;
            }
            snprintf(what, sizeof what, "act_backward %s mode %d bias grad",
                     mf_act_name((mf_act)a), mode);
            check_close(what, gg, want, boff + cols, 1e-5, 1e-4);
            free(got), free(gg);
            mf_buf_free(ctx, &dd), mf_buf_free(ctx, &dyv), mf_buf_free(ctx, &dg);
        }
    free(x), free(y), free(d), free(g0), free(ref), free(dbref), free(want);
}

static void test_act_backward(void) {
    test_act_backward_shape(29, 13);
    test_act_backward_shape(300, 70);
    test_act_backward_shape(7, 1);
}

/* device loss vs reference: gradient per element and the summed loss */
static void compare_loss(const char *what, const mf_buf *grad, const mf_buf *terms, size_t n,
                         const double *gref, double lref) {
    mf_buf out;
    MUST(mf_buf_alloc(ctx, 2, &out));
    MUST(mf_sum(ctx, terms, 0, n, &out, 1));
    float *g = download(grad, n), loss;
    MUST(mf_buf_read(ctx, &out, 1, 1, &loss));
    char w[96];
    snprintf(w, sizeof w, "%s gradient", what);
    check_close(w, g, gref, n, ATOL, RTOL);
    CHECK(close_to(loss, lref, 1e-5, 1e-5), "%s loss %.9g vs reference %.9g", what, loss, lref);
    free(g);
    mf_buf_free(ctx, &out);
}

static void test_losses(void) {
    enum { NR = 70, NF = 50, N = NR + NF, DIM = 3 };
    float d[N], g[N * DIM], t[N * DIM];
    double dd[N], gd[N * DIM], td[N * DIM], gref[N * DIM];
    fill_random(d, N, 31, -6, 6);
    fill_random(g, N * DIM, 32, -2, 2);
    fill_random(t, N * DIM, 33, -2, 2);
    for (int i = 0; i < N; i++) dd[i] = d[i];
    for (int i = 0; i < N * DIM; i++) gd[i] = g[i], td[i] = t[i];
    mf_buf bd = upload(d, N), bg = upload(g, N * DIM), bt = upload(t, N * DIM);
    mf_buf grad, terms;
    MUST(mf_buf_alloc(ctx, N * DIM, &grad));
    MUST(mf_buf_alloc(ctx, N * DIM, &terms));

    MUST(mf_loss_logistic(ctx, &bd, NR, NF, &grad, &terms));
    double l = mf_ref_loss_logistic(dd, NR, NF, gref);
    compare_loss("logistic loss", &grad, &terms, N, gref, l);

    for (int h = 0; h < MF_H_COUNT; h++) {
        MUST(mf_loss_gen(ctx, &bd, N, (mf_h)h, 5.0f, &grad, &terms));
        l = mf_ref_loss_gen(dd, N, (mf_h)h, 5.0, gref);
        char what[64];
        snprintf(what, sizeof what, "generator loss -h, h=%s", mf_h_name((mf_h)h));
        compare_loss(what, &grad, &terms, N, gref, l);
    }

    MUST(mf_loss_fit(ctx, &bg, &bt, N, DIM, &grad, &terms));
    l = mf_ref_loss_fit(gd, td, N, DIM, gref);
    compare_loss("fit loss", &grad, &terms, N * DIM, gref, l);

    mf_buf_free(ctx, &bd), mf_buf_free(ctx, &bg), mf_buf_free(ctx, &bt);
    mf_buf_free(ctx, &grad), mf_buf_free(ctx, &terms);
}

/* softmax cross-entropy (the classifier's loss) with large logits: the max shift keeps it
 * finite; gradient per element and the loss against the reference */
static void test_softmax_ce(void) {
    enum { R = 37, K = 10 };
    float z[R * K], lab[R];
    double zd[R * K], gref[R * K];
    int li[R];
    fill_random(z, R * K, 41, -8, 8);
    z[3] = 80; /* exp(80) overflows a float: only a shifted softmax survives */
    for (int r = 0; r < R; r++) li[r] = (r * 7) % K, lab[r] = (float)li[r];
    for (int i = 0; i < R * K; i++) zd[i] = z[i];
    mf_buf bz = upload(z, R * K), bl = upload(lab, R), grad, terms, out;
    MUST(mf_buf_alloc(ctx, R * K, &grad));
    MUST(mf_buf_alloc(ctx, R, &terms));
    MUST(mf_buf_alloc(ctx, 1, &out));
    MUST(mf_loss_softmax_ce(ctx, &bz, &bl, R, K, &grad, &terms));
    double l = mf_ref_loss_softmax_ce(zd, li, R, K, gref);
    MUST(mf_sum(ctx, &terms, 0, R, &out, 0));
    float *g = download(&grad, R * K), loss;
    MUST(mf_buf_read(ctx, &out, 0, 1, &loss));
    check_close("softmax cross-entropy gradient", g, gref, R * K, ATOL, RTOL);
    CHECK(close_to(loss, l, 1e-5, 1e-5) && isfinite(loss), "softmax loss %.9g vs %.9g", loss, l);
    free(g);
    mf_buf_free(ctx, &bz), mf_buf_free(ctx, &bl), mf_buf_free(ctx, &grad);
    mf_buf_free(ctx, &terms), mf_buf_free(ctx, &out);
}

static void test_sum(void) {
    size_t sizes[] = {1, 255, 256, 257, 1000, 100003};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s], off = 7;
        float *x = malloc((n + off) * sizeof *x);
        fill_random(x, n + off, 41 + (unsigned)s, -1, 2);
        double ref = 0;
        for (size_t i = 0; i < n; i++) ref += x[off + i];
        mf_buf b = upload(x, n + off), out;
        MUST(mf_buf_alloc(ctx, 3, &out));
        MUST(mf_sum(ctx, &b, off, n, &out, 2));
        float got;
        MUST(mf_buf_read(ctx, &out, 2, 1, &got));
        CHECK(close_to(got, ref, 1e-5, 1e-5), "sum of %zu: %.9g vs %.9g", n, got, ref);
        free(x);
        mf_buf_free(ctx, &b), mf_buf_free(ctx, &out);
    }
}

static void test_optimisers(void) {
    enum { N = 1001 };
    float p[N], g[N], m[N] = {0}, v[N] = {0};
    double ref[N];
    fill_random(p, N, 51, -1, 1);
    mf_buf bp = upload(p, N), bg;
    MUST(mf_buf_alloc(ctx, N, &bg));
    mf_adam adam;
    MUST(mf_adam_create(ctx, N, 1e-2f, 0.5f, 0.9f, 1e-8f, &adam));
    for (int step = 1; step <= 3; step++) {
        fill_random(g, N, 52 + step, -1, 1);
        MUST(mf_buf_write(ctx, &bg, 0, N, g));
        MUST(mf_adam_step(ctx, &adam, &bp, &bg));
        mf_ref_adam(p, g, m, v, N, 1e-2f, 0.5f, 0.9f, 1e-8f, step);
    }
    float *got = download(&bp, N);
    for (int i = 0; i < N; i++) ref[i] = p[i];
    check_close("adam, 3 steps", got, ref, N, 1e-6, 1e-5);
    free(got);

    MUST(mf_sgd_step(ctx, 0.1f, &bp, &bg));
    got = download(&bp, N);
    for (int i = 0; i < N; i++) ref[i] = p[i] - 0.1 * g[i];
    /* p here is the reference's; the device's differs from it by the Adam tolerance */
    check_close("sgd step", got, ref, N, 1e-5, 1e-5);
    free(got);

    /* the average of --g-ema, with the SGD result as the parameters */
    float avg[N];
    fill_random(avg, N, 60, -1, 1);
    mf_buf ba = upload(avg, N);
    float *sgd = download(&bp, N);
    MUST(mf_ema_step(ctx, 0.9f, &ba, &bp));
    got = download(&ba, N);
    for (int i = 0; i < N; i++) ref[i] = avg[i] + (1 - 0.9) * ((double)sgd[i] - avg[i]);
    check_close("ema step", got, ref, N, 1e-6, 1e-6);
    free(got), free(sgd);
    mf_buf_free(ctx, &ba);
    mf_adam_destroy(ctx, &adam);
    mf_buf_free(ctx, &bp), mf_buf_free(ctx, &bg);

    mf_adam bad;
    CHECK(mf_adam_create(ctx, 4, -1.0f, 0.9f, 0.999f, 1e-8f, &bad) == MF_ERR_ARG,
          "negative learning rate accepted");
}

static void test_rng(void) {
    enum { N = 100003 };
    mf_rng r;
    mf_rng_init(&r, 0x1234abcd5678ULL);
    r.counter = 42;
    mf_buf b;
    MUST(mf_buf_alloc(ctx, N + 5, &b));
    MUST(mf_rng_uniform(ctx, &r, &b, 5, N, -2.0f, 3.0f));
    CHECK(r.counter == 42 + (N + 3) / 4, "counter advanced to %llu",
          (unsigned long long)r.counter);
    float *got = malloc(N * sizeof *got), *want = malloc(N * sizeof *want);
    MUST(mf_buf_read(ctx, &b, 5, N, got));
    mf_ref_uniform(0x1234abcd5678ULL, 42, N, -2.0f, 3.0f, want);
    CHECK(!memcmp(got, want, N * sizeof *got), "uniform numbers differ from the reference");
    double lo = 1e9, hi = -1e9;
    for (int i = 0; i < N; i++) lo = fmin(lo, got[i]), hi = fmax(hi, got[i]);
    CHECK(lo >= -2.0 && hi < 3.0 && lo < -1.99 && hi > 2.99, "uniform range [%g, %g]", lo, hi);

    uint64_t ctr = r.counter;
    MUST(mf_rng_normal(ctx, &r, &b, 0, N, 1.0f, 2.0f));
    MUST(mf_buf_read(ctx, &b, 0, N, got));
    mf_ref_normal(r.seed, ctr, N, 1.0f, 2.0f, want);
    double *wd = malloc(N * sizeof *wd), mean = 0, var = 0;
    for (int i = 0; i < N; i++) wd[i] = want[i], mean += got[i] / N;
    for (int i = 0; i < N; i++) var += (got[i] - mean) * (got[i] - mean) / (N - 1);
    check_close("normal numbers vs reference", got, wd, N, 1e-5, 1e-5);
    /* N(1, 2^2): the sample mean is within 4 standard errors (4 * 2 / sqrt(N) = 0.025) */
    CHECK(fabs(mean - 1.0) < 0.025, "normal mean %g, want 1", mean);
    CHECK(fabs(sqrt(var) - 2.0) < 0.02, "normal std %g, want 2", sqrt(var));
    free(got), free(want), free(wd);
    mf_buf_free(ctx, &b);
}

int main(void) {
    ctx = test_ctx();
    test_bias_act();
    test_act_backward();
    test_losses();
    test_softmax_ce();
    test_sum();
    test_optimisers();
    test_rng();
    mf_ctx_destroy(ctx);
    return test_finish("test_kernels");
}
