/* MonoFlow's defining properties on the device:
 * - equivalence (10): at theta_t the fitting loss's gradient equals -2 eps times the gradient
 *   of mean h(D(g(z))), for every h, to 1e-4 relative (in norm, and per element to 1e-4 of
 *   the largest element);
 * - through the trainer: fit with K = 1 and one-step take the same first generator step
 *   (Adam removes the factor 2 eps);
 * - resume is bit-identical: N + N iterations with a checkpoint between equal 2N straight,
 *   in every mode, and with --g-ema;
 * - --g-ema: the average follows avg += (1 - d_t)(params - avg), d_t = min(decay,
 *   (1 + t)/(10 + t)), after every generator step t (against the host), and sampling uses it;
 * - a checkpoint of other shapes, a corrupt and a truncated one are refused by name, and
 *   weights holding a NaN are never written over the last good checkpoint. */
#include <string.h>
#include <unistd.h>

#include "monoflow/checkpoint.h"
#include "monoflow/loss.h"
#include "monoflow/push.h"
#include "monoflow/train.h"
#include "test_util.h"

static mf_ctx *ctx;

static void read_grads(mf_mlp *m, float *out) { MUST(mf_buf_read(ctx, &m->grads, 0, m->n_params, out)); }

static void test_equivalence(void) {
    enum { B = 32, LATENT = 4 };
    const float eps = 0.1f, c = 5.0f;
    mf_mlp_config gc = {3, {LATENT, 16, 16, 2}, MF_ACT_LEAKY_RELU, MF_ACT_IDENTITY, 0.2f};
    mf_mlp_config dc = {3, {2, 16, 16, 1}, MF_ACT_TANH, MF_ACT_IDENTITY, 0.2f};
    mf_mlp g, d;
    MUST(mf_mlp_create(ctx, &gc, B, &g));
    MUST(mf_mlp_create(ctx, &dc, B, &d));
    mf_rng rng;
    mf_rng_init(&rng, 7);
    MUST(mf_mlp_init(ctx, &g, &rng));
    MUST(mf_mlp_init(ctx, &d, &rng));
    mf_buf z, target, len, terms;
    MUST(mf_buf_alloc(ctx, B * LATENT, &z));
    MUST(mf_buf_alloc(ctx, B * 2, &target));
    MUST(mf_buf_alloc(ctx, B, &len));
    MUST(mf_buf_alloc(ctx, B * 2, &terms));
    MUST(mf_rng_normal(ctx, &rng, &z, 0, B * LATENT, 0, 1));
    float *gfit = malloc(g.n_params * 4), *ggen = malloc(g.n_params * 4);
    for (int h = 0; h < MF_H_COUNT; h++) {
        /* fit: push, then the gradient of mean ||g - target||^2 at the same theta */
        MUST(mf_mlp_forward(ctx, &g, &z, 0, B));
        MUST(mf_mlp_forward(ctx, &d, mf_mlp_output(&g), 0, B));
        MUST(mf_buf_fill(ctx, &d.dout, 0, B, 1.0f));
        MUST(mf_mlp_backward(ctx, &d, MF_BACK_INPUT));
        MUST(mf_push(ctx, &target, mf_mlp_output(&g), mf_mlp_output(&d), &d.din, B, 2, (mf_h)h,
                     c, eps, &len));
        MUST(mf_loss_fit(ctx, mf_mlp_output(&g), &target, B, 2, &g.dout, &terms));
        MUST(mf_mlp_backward(ctx, &g, MF_BACK_PARAMS));
        read_grads(&g, gfit);
        /* one-step: the gradient of mean -h(D(g(z))) */
        MUST(mf_mlp_forward(ctx, &g, &z, 0, B));
        MUST(mf_mlp_forward(ctx, &d, mf_mlp_output(&g), 0, B));
        MUST(mf_loss_gen(ctx, mf_mlp_output(&d), B, (mf_h)h, c, &d.dout, &terms));
        MUST(mf_mlp_backward(ctx, &d, MF_BACK_INPUT));
        MUST(mf_buf_copy(ctx, &d.din, 0, &g.dout, 0, B * 2));
        MUST(mf_mlp_backward(ctx, &g, MF_BACK_PARAMS));
        read_grads(&g, ggen);
        double num = 0, den = 0, big = 0;
        for (size_t i = 0; i < g.n_params; i++) big = fmax(big, fabs(2 * eps * ggen[i]));
        int off = 0;
        for (size_t i = 0; i < g.n_params; i++) {
            double want = 2 * eps * ggen[i], diff = gfit[i] - want;
            num += diff * diff;
            den += want * want;
            off += fabs(diff) > 1e-4 * big;
        }
        double rel = sqrt(num / den);
        printf("equivalence (10), h=%-8s |fit - 2 eps gen| / |2 eps gen| = %.2e\n",
               mf_h_name((mf_h)h), rel);
        CHECK(den > 0 && rel < 1e-4, "h=%s: relative difference %.3g", mf_h_name((mf_h)h), rel);
        CHECK(off == 0, "h=%s: %d elements differ by more than 1e-4 of the largest",
              mf_h_name((mf_h)h), off);
    }
    free(gfit), free(ggen);
    mf_buf_free(ctx, &z), mf_buf_free(ctx, &target), mf_buf_free(ctx, &len);
    mf_buf_free(ctx, &terms);
    mf_mlp_destroy(ctx, &g), mf_mlp_destroy(ctx, &d);
}

static mf_config small_config(int mode) {
    mf_config c;
    mf_config_defaults(&c);
    c.mode = mode;
    c.g_width = c.d_width = 32;
    c.g_depth = c.d_depth = 2;
    c.batch = 64;
    c.particles = 64;
    c.k = 3;
    c.d_steps = 2;
    return c;
}

static float *params_of(mf_trainer *t, mf_mlp *m) {
    float *p = malloc(m->n_params * 4);
    MUST(mf_buf_read(t->ctx, &m->params, 0, m->n_params, p));
    return p;
}

static void test_first_step_same(void) {
    mf_config cf = small_config(MF_MODE_FIT), co = small_config(MF_MODE_ONE_STEP);
    cf.k = 1;
    cf.d_steps = co.d_steps = 1;
    mf_trainer tf, to;
    MUST(mf_trainer_create(ctx, &cf, &tf));
    MUST(mf_trainer_create(ctx, &co, &to));
    float *before = params_of(&tf, &tf.g);
    MUST(mf_trainer_step(&tf, 0));
    MUST(mf_trainer_step(&to, 0));
    float *pf = params_of(&tf, &tf.g), *po = params_of(&to, &to.g);
    size_t n = tf.g.n_params;
    float *gf = malloc(n * 4), *go = malloc(n * 4);
    MUST(mf_buf_read(ctx, &tf.g.grads, 0, n, gf));
    MUST(mf_buf_read(ctx, &to.g.grads, 0, n, go));
    /* the gradients: fit = 2 eps one-step, through the whole trainer */
    double num = 0, den = 0, two_eps = 2.0 * cf.eps, lr = cf.lr_g;
    for (size_t i = 0; i < n; i++) {
        num += (gf[i] - two_eps * go[i]) * (gf[i] - two_eps * go[i]);
        den += two_eps * go[i] * two_eps * go[i];
    }
    CHECK(den > 0 && sqrt(num / den) < 1e-4, "trainer: fit gradient vs 2 eps one-step: %.3g",
          sqrt(num / den));
    /* the updates: Adam's first step is lr g / (|g| + 1e-8), the same for g and 2 eps g up to
     * lr * 1e-8 / |g| (plus float rounding) */
    size_t off = 0;
    int moved = 0;
    for (size_t i = 0; i < n; i++) {
        double bound = lr * (2e-8 / fmax(fabs(gf[i]), 1e-30) + 1e-4);
        off += fabs((double)pf[i] - po[i]) > bound;
        moved += pf[i] != before[i];
    }
    CHECK(moved > (int)n / 2, "the generator step moved only %d of %zu parameters", moved, n);
    CHECK(off == 0, "fit K=1 and one-step first updates differ beyond Adam's eps on %zu of %zu",
          off, n);
    free(gf), free(go);
    free(before), free(pf), free(po);
    mf_trainer_destroy(&tf), mf_trainer_destroy(&to);
}

static void same_buf(mf_buf *x, mf_buf *y, const char *what, int mode) {
    float *px = malloc(x->n * 4), *py = malloc(y->n * 4);
    MUST(mf_buf_read(ctx, x, 0, x->n, px));
    MUST(mf_buf_read(ctx, y, 0, y->n, py));
    CHECK(x->n == y->n && !memcmp(px, py, x->n * 4), "%s: %s differs after resume",
          mf_mode_name((mf_mode)mode), what);
    free(px), free(py);
}

static void test_resume(int mode, float ema) {
    const int N = 6;
    mf_config cfg = small_config(mode);
    cfg.g_ema = ema;
    char path[] = "/tmp/monoflow-ckpt-XXXXXX";
    close(mkstemp(path));
    mf_trainer a, b, c;
    MUST(mf_trainer_create(ctx, &cfg, &a));
    for (int i = 0; i < 2 * N; i++) MUST(mf_trainer_step(&a, i % 4 == 0));
    MUST(mf_trainer_create(ctx, &cfg, &b));
    for (int i = 0; i < N; i++) MUST(mf_trainer_step(&b, i == 2));
    MUST(mf_checkpoint_save(&b, path));
    mf_trainer_destroy(&b);
    mf_config saved;
    MUST(mf_checkpoint_config(path, &saved));
    MUST(mf_trainer_create(ctx, &saved, &c));
    MUST(mf_checkpoint_load(&c, path));
    CHECK(c.iter == N, "resumed at iteration %ld", c.iter);
    for (int i = 0; i < N; i++) MUST(mf_trainer_step(&c, i == 1));
    same_buf(&a.d.params, &c.d.params, "D", mode);
    if (a.has_g) {
        same_buf(&a.g.params, &c.g.params, "G", mode);
        CHECK(!a.g_avg.mem == !(ema > 0) && !c.g_avg.mem == !(ema > 0),
              "%s: the average exists without --g-ema or not with it", mf_mode_name((mf_mode)mode));
        if (ema > 0) same_buf(&a.g_avg, &c.g_avg, "G's average", mode);
    } else {
        same_buf(&a.particles, &c.particles, "the particles", mode);
    }
    CHECK(a.rng.counter == c.rng.counter && a.iter == c.iter, "%s: state differs after resume",
          mf_mode_name((mf_mode)mode));

    /* a checkpoint of other shapes is refused, naming the field */
    mf_config other = cfg;
    other.d_width = 48;
    mf_trainer o;
    MUST(mf_trainer_create(ctx, &other, &o));
    CHECK(mf_checkpoint_load(&o, path) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "made with another --d-width"),
          "other shapes: %s", mf_last_error());
    mf_trainer_destroy(&o);

    /* one flipped byte, then a truncated file */
    FILE *f = fopen(path, "r+b");
    fseek(f, 200, SEEK_SET);
    int ch = fgetc(f);
    fseek(f, 200, SEEK_SET);
    fputc(ch ^ 0x40, f);
    fclose(f);
    CHECK(mf_checkpoint_load(&c, path) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "is corrupt or truncated"),
          "corrupt: %s", mf_last_error());
    CHECK(truncate(path, 100) == 0, "truncate");
    CHECK(mf_checkpoint_load(&c, path) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "corrupt or truncated"),
          "truncated: %s", mf_last_error());
    CHECK(c.iter == 2 * N, "a refused checkpoint changed the trainer");
    mf_trainer_destroy(&a), mf_trainer_destroy(&c);
    remove(path);
}

/* one-step makes one generator step per iteration: the average can be followed on the host */
static void test_ema(void) {
    const int N = 9;
    const float decay = 0.5f; /* the warm-up's 0.18 .. 0.53: both branches of the min */
    mf_config cfg = small_config(MF_MODE_ONE_STEP);
    cfg.g_ema = decay;
    mf_trainer t;
    MUST(mf_trainer_create(ctx, &cfg, &t));
    size_t n = t.g.n_params;
    float *avg = params_of(&t, &t.g);
    double *ref = malloc(n * sizeof *ref);
    for (size_t i = 0; i < n; i++) ref[i] = avg[i];
    free(avg);
    for (int it = 0; it < N; it++) {
        MUST(mf_trainer_step(&t, 0));
        float *p = params_of(&t, &t.g);
        /* warm-up: (1 + t) / (10 + t) for the t-th update, capped by the decay */
        double d = fmin(decay, (2.0 + it) / (11.0 + it));
        for (size_t i = 0; i < n; i++) ref[i] += (1.0 - d) * (p[i] - ref[i]);
        free(p);
    }
    avg = malloc(n * 4);
    MUST(mf_buf_read(ctx, &t.g_avg, 0, n, avg));
    check_close("G's average after 9 one-step iterations", avg, ref, n, 1e-6, 1e-5);

    /* samples come from the average: the same as a generator holding the averaged weights */
    enum { S = 100 };
    mf_config plain = cfg;
    plain.g_ema = 0;
    mf_trainer u;
    MUST(mf_trainer_create(ctx, &plain, &u));
    MUST(mf_buf_write(ctx, &u.g.params, 0, n, avg));
    float from_avg[S * 2], from_u[S * 2], trained[S * 2];
    MUST(mf_trainer_generate(&t, 7, S, from_avg));
    MUST(mf_trainer_generate(&u, 7, S, from_u));
    CHECK(!memcmp(from_avg, from_u, sizeof from_avg), "--g-ema samples are not the average's");
    float *p = params_of(&t, &t.g);
    MUST(mf_buf_write(ctx, &u.g.params, 0, n, p));
    MUST(mf_trainer_generate(&u, 7, S, trained));
    CHECK(memcmp(from_avg, trained, sizeof trained), "the average equals the trained weights");
    float *after = params_of(&t, &t.g);
    CHECK(!memcmp(p, after, n * 4), "sampling changed the trained weights");
    free(p), free(after), free(avg), free(ref);
    mf_trainer_destroy(&t), mf_trainer_destroy(&u);
}

/* a checkpoint is never written from weights that hold a NaN: the last good one stays */
static void test_nan_refused(void) {
    mf_config cfg = small_config(MF_MODE_FIT);
    char path[] = "/tmp/monoflow-nan-XXXXXX";
    close(mkstemp(path));
    mf_trainer t;
    MUST(mf_trainer_create(ctx, &cfg, &t));
    MUST(mf_checkpoint_save(&t, path));
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long before = ftell(f);
    fclose(f);
    float nan = NAN;
    MUST(mf_buf_write(ctx, &t.g.params, 3, 1, &nan));
    MUST(mf_trainer_step(&t, 0));
    CHECK(mf_checkpoint_save(&t, path) == MF_ERR_DIVERGED &&
              strstr(mf_last_error(), "holds NaN or infinite values"),
          "NaN weights: %s", mf_last_error());
    mf_config saved;
    MUST(mf_checkpoint_config(path, &saved));
    mf_trainer u;
    MUST(mf_trainer_create(ctx, &saved, &u));
    MUST(mf_checkpoint_load(&u, path));
    f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    CHECK(ftell(f) == before && u.iter == 0, "the good checkpoint was replaced");
    fclose(f);
    mf_trainer_destroy(&t), mf_trainer_destroy(&u);
    remove(path);
}

int main(void) {
    ctx = test_ctx();
    test_equivalence();
    test_first_step_same();
    for (int m = 0; m < MF_MODE_COUNT; m++) test_resume(m, 0);
    test_resume(MF_MODE_ONE_STEP, 0.99f);
    test_resume(MF_MODE_FIT, 0.99f);
    test_ema();
    test_nan_refused();
    CHECK(mf_ctx_bytes_held(ctx) == 0, "%zu bytes still held", mf_ctx_bytes_held(ctx));
    mf_ctx_destroy(ctx);
    return test_finish("test_monoflow");
}
