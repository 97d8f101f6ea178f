#include "monoflow/scores.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/files.h"
#include "monoflow/frechet.h"
#include "monoflow/idx.h"
#include "monoflow/program.h"
#include "internal.h"

/* a run's labelled images: train and test halves on the host */
typedef struct {
    mf_idx img, lab, timg, tlab;
    float *x, *tx;
    mf_labelled train, test;
} image_sets;

static mf_status paths(const char *spec, char *img, char *lab, char *timg, char *tlab,
                       size_t cap) {
    if (!strcmp(spec, "fashion-mnist")) {
        const char *dir = getenv("MONOFLOW_FASHION_MNIST_DIR");
        if (!dir || !*dir) dir = MF_FASHION_MNIST_DIR;
        snprintf(img, cap, "%s/train-images-idx3-ubyte.gz", dir);
        snprintf(lab, cap, "%s/train-labels-idx1-ubyte.gz", dir);
        snprintf(timg, cap, "%s/t10k-images-idx3-ubyte.gz", dir);
        snprintf(tlab, cap, "%s/t10k-labels-idx1-ubyte.gz", dir);
        return MF_OK;
    }
    const char *comma = strchr(spec, ',');
    if (strncmp(spec, "idx:", 4) || !comma)
        return mf_fail(MF_ERR_ARG, "image scores need labels: train on fashion-mnist or "
                                   "idx:IMAGES,LABELS (this run has %s)", spec);
    snprintf(img, cap, "%.*s", (int)(comma - spec - 4), spec + 4);
    snprintf(lab, cap, "%s", comma + 1);
    timg[0] = tlab[0] = 0; /* held out of the same files */
    return MF_OK;
}

/* the test images, and the training images when need_train (for idx: data both come from
 * the one file, the last 10 % held out) */
static mf_status load_sets(const char *spec, int need_train, image_sets *s) {
    char img[600], lab[600], timg[600], tlab[600];
    memset(s, 0, sizeof *s);
    MF_TRY(paths(spec, img, lab, timg, tlab, sizeof img));
    if (*timg) {
        MF_TRY(mf_idx_read_labelled(timg, tlab, &s->timg, &s->tlab));
        if (!(s->tx = mf_idx_unit_floats(&s->timg)))
            return mf_fail(MF_ERR_NOMEM, "out of host memory");
        s->test = (mf_labelled){s->tx, s->tlab.data, s->timg.count, (int)s->timg.item};
        if (!need_train) return MF_OK;
    }
    MF_TRY(mf_idx_read_labelled(img, lab, &s->img, &s->lab));
    if (!(s->x = mf_idx_unit_floats(&s->img))) return mf_fail(MF_ERR_NOMEM, "out of host memory");
    int dim = (int)s->img.item;
    size_t n = s->img.count, nt = n / 10;
    if (*timg) {
        s->train = (mf_labelled){s->x, s->lab.data, n, dim};
        return MF_OK;
    }
    s->train = (mf_labelled){s->x, s->lab.data, n - nt, dim};
    s->test = (mf_labelled){s->x + (n - nt) * dim, s->lab.data + (n - nt), nt, dim};
    if (nt < 2)
        return mf_fail(MF_ERR_ARG, "%s has too few images to hold out a test set", img);
    return MF_OK;
}

static void free_sets(image_sets *s) {
    free(s->x), free(s->tx);
    mf_idx_free(&s->img), mf_idx_free(&s->lab), mf_idx_free(&s->timg), mf_idx_free(&s->tlab);
}

static mf_status classifier_path(const char *spec, char *buf, size_t cap) {
    char dir[480], key[80];
    if (!mf_cache_dir(dir, sizeof dir))
        return mf_fail(MF_ERR_IO, "no cache directory for the classifier: set "
                                  "MONOFLOW_CACHE_DIR or HOME");
    snprintf(key, sizeof key, "%.79s", spec);
    for (char *k = key; *k; k++)
        if (!isalnum((unsigned char)*k) && *k != '-' && *k != '.') *k = '_';
    char sub[510];
    snprintf(sub, sizeof sub, "%s/classifier", dir);
    if (mf_mkdirs(sub) != 0) return mf_fail(MF_ERR_IO, "cannot create %s", sub);
    snprintf(buf, cap, "%s/%s.mfcl", sub, key);
    return MF_OK;
}

/* a new classifier, trained and stored (the cached one could not be loaded) */
static mf_status train_classifier(mf_ctx *ctx, const char *spec, const image_sets *s, FILE *log,
                                  mf_classifier *c, mf_image_scores *o) {
    if (log) fprintf(log, "training the classifier of %s (once; kept in %s)\n", spec,
                     o->classifier_path);
    MF_TRY(mf_classifier_train(ctx, &s->train, &s->test, MF_CLS_EPOCHS, 1, c, log));
    o->trained = 1;
    return mf_classifier_save(ctx, c, o->classifier_path);
}

static mf_status fid(const float *a, size_t na, const float *b, size_t nb, double *out) {
    int d = MF_CLS_FEATURES;
    double *m1 = malloc(sizeof(double) * d), *m2 = malloc(sizeof(double) * d);
    double *c1 = malloc(sizeof(double) * d * d), *c2 = malloc(sizeof(double) * d * d);
    mf_status st = m1 && m2 && c1 && c2 ? MF_OK : mf_fail(MF_ERR_NOMEM, "out of host memory");
    if (st == MF_OK) st = mf_moments(a, na, d, m1, c1);
    if (st == MF_OK) st = mf_moments(b, nb, d, m2, c2);
    if (st == MF_OK) st = mf_frechet(m1, c1, m2, c2, d, out);
    free(m1), free(m2), free(c1), free(c2);
    return st;
}

static void class_histogram(const int *pred, size_t n, mf_image_scores *o) {
    memset(o->counts, 0, sizeof o->counts);
    for (size_t i = 0; i < n; i++) o->counts[pred[i]]++;
    o->covered = 0;
    o->class_reverse_kl = 0;
    for (int k = 0; k < MF_CLS_CLASSES; k++) {
        double p = (double)o->counts[k] / n;
        o->covered += p >= 0.01;
        if (p > 0) o->class_reverse_kl += p * log(p * MF_CLS_CLASSES);
    }
}

mf_status mf_image_scores_compute(mf_trainer *t, size_t n, uint64_t seed, FILE *log,
                                  mf_image_scores *o) {
    memset(o, 0, sizeof *o);
    if (t->data.kind != MF_DATA_IMAGES)
        return mf_fail(MF_ERR_ARG, "image scores need image data, not %s", t->cfg.data);
    image_sets s;
    mf_classifier c;
    MF_TRY(classifier_path(t->cfg.data, o->classifier_path, sizeof o->classifier_path));
    int have_c = mf_classifier_load(t->ctx, o->classifier_path, t->dim, &c) == MF_OK;
    mf_status st = load_sets(t->cfg.data, !have_c, &s);
    if (st == MF_OK && !have_c &&
        (st = train_classifier(t->ctx, t->cfg.data, &s, log, &c, o)) == MF_OK)
        have_c = 1;
    size_t nt = s.test.n, F = MF_CLS_FEATURES;
    float *gen = malloc(sizeof(float) * n * t->dim), *fg = malloc(sizeof(float) * n * F);
    float *ft = malloc(sizeof(float) * nt * F);
    int *pred = malloc(sizeof(int) * n);
    if (st == MF_OK && (!gen || !fg || !ft || !pred))
        st = mf_fail(MF_ERR_NOMEM, "out of host memory");
    if (st == MF_OK) st = mf_trainer_generate(t, seed, n, gen);
    if (st == MF_OK) st = mf_classifier_apply(t->ctx, &c, gen, n, fg, pred);
    if (st == MF_OK) st = mf_classifier_apply(t->ctx, &c, s.test.x, nt, ft, NULL);
    if (st == MF_OK) st = fid(ft, nt, fg, n, &o->fid);
    if (st == MF_OK) {
        class_histogram(pred, n, o);
        o->accuracy = c.test_acc;
        o->n_gen = n;
        o->n_test = nt;
    }
    free(gen), free(fg), free(ft), free(pred);
    if (have_c) mf_classifier_destroy(t->ctx, &c);
    free_sets(&s);
    return st;
}
