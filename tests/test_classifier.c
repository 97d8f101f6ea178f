/* The image scores' classifier on Fashion-MNIST (Debian's dataset-fashion-mnist): its
 * MF_CLS_EPOCHS (6) epochs must reach at least 85 % test accuracy; a saved and reloaded
 * classifier predicts the same; a truncated file is refused. In its feature space the
 * Fréchet distance between two halves of the test set is far below the one between the test
 * set and uniform noise images. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monoflow/classifier.h"
#include "monoflow/data.h"
#include "monoflow/frechet.h"
#include "monoflow/idx.h"
#include "test_util.h"

static float *load(const char *name, mf_idx *img, mf_idx *lab) {
    char a[300], b[300];
    snprintf(a, sizeof a, "%s/%s-images-idx3-ubyte.gz", MF_FASHION_MNIST_DIR, name);
    snprintf(b, sizeof b, "%s/%s-labels-idx1-ubyte.gz", MF_FASHION_MNIST_DIR, name);
    if (mf_idx_read_labelled(a, b, img, lab) != MF_OK) {
        fprintf(stderr, "FAIL: %s (install dataset-fashion-mnist)\n", mf_last_error());
        exit(1);
    }
    return mf_idx_unit_floats(img);
}

static double fd(const float *x, size_t n, const float *y, size_t m) {
    double *m1 = malloc(8 * MF_CLS_FEATURES), *m2 = malloc(8 * MF_CLS_FEATURES);
    double *c1 = malloc(8 * MF_CLS_FEATURES * MF_CLS_FEATURES);
    double *c2 = malloc(8 * MF_CLS_FEATURES * MF_CLS_FEATURES), d = -1;
    MUST(mf_moments(x, n, MF_CLS_FEATURES, m1, c1));
    MUST(mf_moments(y, m, MF_CLS_FEATURES, m2, c2));
    MUST(mf_frechet(m1, c1, m2, c2, MF_CLS_FEATURES, &d));
    free(m1), free(m2), free(c1), free(c2);
    return d;
}

int main(void) {
    mf_ctx *ctx = test_ctx();
    mf_idx ti, tl, vi, vl;
    float *tx = load("train", &ti, &tl), *vx = load("t10k", &vi, &vl);
    mf_labelled train = {tx, tl.data, ti.count, (int)ti.item};
    mf_labelled test = {vx, vl.data, vi.count, (int)vi.item};
    mf_classifier c;
    MUST(mf_classifier_train(ctx, &train, &test, MF_CLS_EPOCHS, 1, &c, stdout));
    printf("test accuracy %.4f\n", c.test_acc);
    CHECK(c.test_acc >= 0.85, "test accuracy %.4f, want >= 0.85", c.test_acc);

    char path[] = "/tmp/mf-test-cls-XXXXXX";
    close(mkstemp(path));
    MUST(mf_classifier_save(ctx, &c, path));
    mf_classifier r;
    MUST(mf_classifier_load(ctx, path, 784, &r));
    double acc;
    MUST(mf_classifier_accuracy(ctx, &r, &test, &acc));
    CHECK(acc == c.test_acc && r.test_acc == c.test_acc, "reloaded: %.4f vs %.4f", acc,
          c.test_acc);
    CHECK(truncate(path, 100) == 0, "truncate");
    mf_classifier bad;
    CHECK(mf_classifier_load(ctx, path, 784, &bad) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "delete it to train a new one"), "truncated: %s",
          mf_last_error());
    unlink(path);

    enum { H = 5000 };
    float *f = malloc(sizeof(float) * 10000 * MF_CLS_FEATURES);
    float *noise = malloc(sizeof(float) * H * 784), *fn = malloc(sizeof(float) * H * MF_CLS_FEATURES);
    fill_random(noise, (size_t)H * 784, 5, -1, 1);
    MUST(mf_classifier_apply(ctx, &r, vx, 10000, f, NULL));
    MUST(mf_classifier_apply(ctx, &r, noise, H, fn, NULL));
    double halves = fd(f, H, f + (size_t)H * MF_CLS_FEATURES, H), vs_noise = fd(f, H, fn, H);
    printf("Frechet distance: test halves %.3f, test vs noise %.3f\n", halves, vs_noise);
    CHECK(halves >= 0 && halves * 20 < vs_noise, "halves %.3f, noise %.3f", halves, vs_noise);
    free(f), free(noise), free(fn), free(tx), free(vx);
    mf_idx_free(&ti), mf_idx_free(&tl), mf_idx_free(&vi), mf_idx_free(&vl);
    mf_classifier_destroy(ctx, &c);
    mf_classifier_destroy(ctx, &r);
    mf_ctx_destroy(ctx);
    return test_finish("test_classifier");
}
