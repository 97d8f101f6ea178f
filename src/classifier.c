#include "monoflow/classifier.h"

#include <stdlib.h>
#include <string.h>

#include "monoflow/files.h"
#include "monoflow/loss.h"
#include "monoflow/optim.h"
#include "monoflow/reduce.h"
#include "monoflow/rng.h"
#include "internal.h"

enum { BATCH = 256 };

static const char magic[8] = "MFCLS1";

static mf_status create(mf_ctx *ctx, int in, mf_classifier *c) {
    memset(c, 0, sizeof *c);
    c->in = in;
    mf_mlp_config cfg = {.n_layers = 3, .widths = {in, 256, MF_CLS_FEATURES, MF_CLS_CLASSES},
                         .hidden_act = MF_ACT_LEAKY_RELU, .out_act = MF_ACT_IDENTITY,
                         .slope = 0.2f};
    return mf_mlp_create(ctx, &cfg, BATCH, &c->net);
}

void mf_classifier_destroy(mf_ctx *ctx, mf_classifier *c) { mf_mlp_destroy(ctx, &c->net); }

/* a batch of rows idx[0..n) of set into the device buffers */
static mf_status upload_batch(mf_ctx *ctx, const mf_labelled *set, const uint32_t *idx,
                              size_t n, float *hx, float *hy, mf_buf *x, mf_buf *y) {
    for (size_t i = 0; i < n; i++) {
        memcpy(hx + i * set->dim, set->x + (size_t)idx[i] * set->dim, sizeof(float) * set->dim);
        hy[i] = set->y[idx[i]];
    }
    MF_TRY(mf_buf_write(ctx, x, 0, n * set->dim, hx));
    return mf_buf_write(ctx, y, 0, n, hy);
}

static void shuffle(uint32_t *idx, size_t n, uint64_t seed, uint64_t epoch) {
    for (size_t i = 0; i < n; i++) idx[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
        uint32_t r[4];
        mf_philox4x32_10(seed, epoch << 32 | i, r);
        size_t j = r[0] % (i + 1);
        uint32_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}

typedef struct {
    mf_buf x, y, terms, loss;
    float *hx, *hy;
    uint32_t *idx;
    mf_adam opt;
} train_bufs;

static mf_status alloc_train(mf_ctx *ctx, const mf_classifier *c, size_t n, train_bufs *b) {
    memset(b, 0, sizeof *b);
    MF_TRY(mf_buf_alloc(ctx, (size_t)BATCH * c->in, &b->x));
    MF_TRY(mf_buf_alloc(ctx, BATCH, &b->y));
    MF_TRY(mf_buf_alloc(ctx, BATCH, &b->terms));
    MF_TRY(mf_buf_alloc(ctx, 1, &b->loss));
    MF_TRY(mf_adam_create(ctx, c->net.n_params, 1e-3f, 0.9f, 0.999f, 1e-8f, &b->opt));
    b->hx = malloc(sizeof(float) * BATCH * c->in);
    b->hy = malloc(sizeof(float) * BATCH);
    b->idx = malloc(sizeof(uint32_t) * n);
    if (!b->hx || !b->hy || !b->idx) return mf_fail(MF_ERR_NOMEM, "out of host memory");
    return MF_OK;
}

static void free_train(mf_ctx *ctx, train_bufs *b) {
    mf_buf_free(ctx, &b->x), mf_buf_free(ctx, &b->y);
    mf_buf_free(ctx, &b->terms), mf_buf_free(ctx, &b->loss);
    mf_adam_destroy(ctx, &b->opt);
    free(b->hx), free(b->hy), free(b->idx);
}

/* one epoch of Adam steps; the mean loss of its last step into *loss */
static mf_status epoch(mf_ctx *ctx, mf_classifier *c, const mf_labelled *train, train_bufs *b,
                       uint64_t seed, int e, float *loss) {
    shuffle(b->idx, train->n, seed, (uint64_t)e);
    for (size_t at = 0; at + BATCH <= train->n; at += BATCH) {
        MF_TRY(upload_batch(ctx, train, b->idx + at, BATCH, b->hx, b->hy, &b->x, &b->y));
        MF_TRY(mf_mlp_forward(ctx, &c->net, &b->x, 0, BATCH));
        MF_TRY(mf_loss_softmax_ce(ctx, mf_mlp_output(&c->net), &b->y, BATCH, MF_CLS_CLASSES,
                                  &c->net.dout, &b->terms));
        MF_TRY(mf_mlp_backward(ctx, &c->net, MF_BACK_PARAMS));
        MF_TRY(mf_adam_step(ctx, &b->opt, &c->net.params, &c->net.grads));
    }
    MF_TRY(mf_sum(ctx, &b->terms, 0, BATCH, &b->loss, 0));
    return mf_buf_read(ctx, &b->loss, 0, 1, loss);
}

mf_status mf_classifier_train(mf_ctx *ctx, const mf_labelled *train, const mf_labelled *test,
                              int epochs, uint64_t seed, mf_classifier *c, FILE *log) {
    if (train->n < BATCH)
        return mf_fail(MF_ERR_ARG, "the classifier needs at least %d labelled images, got %zu",
                       BATCH, train->n);
    MF_TRY(create(ctx, train->dim, c));
    mf_rng rng;
    mf_rng_init(&rng, seed);
    train_bufs b;
    mf_status st = mf_mlp_init(ctx, &c->net, &rng);
    if (st == MF_OK) st = alloc_train(ctx, c, train->n, &b);
    for (int e = 0; e < epochs && st == MF_OK; e++) {
        float loss;
        st = epoch(ctx, c, train, &b, seed, e, &loss);
        if (st == MF_OK && log) fprintf(log, "classifier epoch %d/%d: loss %.4f\n", e + 1, epochs, loss);
    }
    free_train(ctx, &b);
    if (st == MF_OK) st = mf_classifier_accuracy(ctx, c, test, &c->test_acc);
    if (st != MF_OK) {
        mf_classifier_destroy(ctx, c);
        return st;
    }
    c->epochs = epochs;
    c->n_train = train->n;
    c->n_test = test->n;
    return MF_OK;
}

mf_status mf_classifier_apply(mf_ctx *ctx, mf_classifier *c, const float *x, size_t n,
                              float *features, int *pred) {
    mf_buf bx;
    MF_TRY(mf_buf_alloc(ctx, (size_t)BATCH * c->in, &bx));
    float logits[BATCH * MF_CLS_CLASSES];
    mf_status st = MF_OK;
    for (size_t at = 0; at < n && st == MF_OK; at += BATCH) {
        size_t m = n - at < BATCH ? n - at : BATCH;
        st = mf_buf_write(ctx, &bx, 0, m * c->in, x + at * c->in);
        if (st == MF_OK) st = mf_mlp_forward(ctx, &c->net, &bx, 0, (int)m);
        if (st == MF_OK && features)
            st = mf_buf_read(ctx, &c->net.act[2], 0, m * MF_CLS_FEATURES,
                             features + at * MF_CLS_FEATURES);
        if (st == MF_OK && pred)
            st = mf_buf_read(ctx, mf_mlp_output(&c->net), 0, m * MF_CLS_CLASSES, logits);
        for (size_t i = 0; st == MF_OK && pred && i < m; i++) {
            int best = 0;
            for (int k = 1; k < MF_CLS_CLASSES; k++)
                if (logits[i * MF_CLS_CLASSES + k] > logits[i * MF_CLS_CLASSES + best]) best = k;
            pred[at + i] = best;
        }
    }
    mf_buf_free(ctx, &bx);
    return st;
}

mf_status mf_classifier_accuracy(mf_ctx *ctx, mf_classifier *c, const mf_labelled *set,
                                 double *acc) {
    int *pred = malloc(sizeof(int) * (set->n ? set->n : 1));
    if (!pred) return mf_fail(MF_ERR_NOMEM, "out of host memory");
    mf_status st = mf_classifier_apply(ctx, c, set->x, set->n, NULL, pred);
    size_t right = 0;
    for (size_t i = 0; st == MF_OK && i < set->n; i++) right += pred[i] == set->y[i];
    *acc = set->n ? (double)right / set->n : 0;
    free(pred);
    return st;
}

/* ---- file ---- */

typedef struct {
    char magic[8];
    int32_t in, hidden, features, classes, epochs, pad;
    double test_acc;
    uint64_t n_train, n_test, n_params;
} file_header;

typedef struct {
    const file_header *h;
    const float *params;
} save_job;

static void write_file(FILE *f, void *user) {
    const save_job *j = user;
    fwrite(j->h, sizeof *j->h, 1, f);
    fwrite(j->params, sizeof(float), j->h->n_params, f);
}

mf_status mf_classifier_save(mf_ctx *ctx, const mf_classifier *c, const char *path) {
    file_header h = {{0}, c->in, 256, MF_CLS_FEATURES, MF_CLS_CLASSES, c->epochs, 0,
                     c->test_acc, c->n_train, c->n_test, c->net.n_params};
    memcpy(h.magic, magic, sizeof magic);
    float *p = malloc(sizeof(float) * c->net.n_params);
    if (!p) return mf_fail(MF_ERR_NOMEM, "out of host memory");
    mf_status st = mf_buf_read(ctx, &c->net.params, 0, c->net.n_params, p);
    save_job j = {&h, p};
    if (st == MF_OK) st = mf_write_atomic(path, write_file, &j);
    free(p);
    return st;
}

mf_status mf_classifier_load(mf_ctx *ctx, const char *path, int in, mf_classifier *c) {
    FILE *f = fopen(path, "rb");
    if (!f) return mf_fail(MF_ERR_IO, "cannot read %s", path);
    file_header h;
    mf_status st = MF_OK;
    if (fread(&h, sizeof h, 1, f) != 1 || memcmp(h.magic, magic, sizeof magic) || h.in != in ||
        h.features != MF_CLS_FEATURES || h.classes != MF_CLS_CLASSES)
        st = mf_fail(MF_ERR_FORMAT, "%s is not a classifier of %d-pixel images: delete it to "
                                    "train a new one", path, in);
    int created = st == MF_OK && (st = create(ctx, in, c)) == MF_OK;
    float *p = created ? malloc(sizeof(float) * c->net.n_params) : NULL;
    if (st == MF_OK && (h.n_params != c->net.n_params || !p ||
                        fread(p, sizeof(float), h.n_params, f) != h.n_params))
        st = mf_fail(MF_ERR_FORMAT, "%s is truncated: delete it to train a new one", path);
    if (st == MF_OK) st = mf_buf_write(ctx, &c->net.params, 0, c->net.n_params, p);
    if (st == MF_OK) {
        c->test_acc = h.test_acc;
        c->epochs = h.epochs;
        c->n_train = h.n_train;
        c->n_test = h.n_test;
    } else if (created) {
        mf_classifier_destroy(ctx, c);
    }
    free(p);
    fclose(f);
    return st;
}
