/* The project's own image classifier, the feature space of the image scores: an MLP
 * 784-256-128-10 (LeakyReLU 0.2) trained on the device from the training labels with the
 * softmax cross-entropy, once per data set; saved in the cache and reused. Its 128-unit last
 * hidden layer gives the features of the Fréchet distance, its argmax the predicted class. */
#ifndef MONOFLOW_CLASSIFIER_H
#define MONOFLOW_CLASSIFIER_H

#include <stdint.h>
#include <stdio.h>

#include "monoflow/mlp.h"

#define MF_CLS_CLASSES 10
#define MF_CLS_FEATURES 128
#define MF_CLS_EPOCHS 6  /* what eval trains for */

typedef struct {
    mf_mlp net;
    int in;               /* pixels per image */
    int epochs;
    double test_acc;      /* share of the test images classified right */
    size_t n_train, n_test;
} mf_classifier;

/* Labelled images on the host: n x dim pixels in [-1, 1], labels 0..9. */
typedef struct {
    const float *x;
    const uint8_t *y;
    size_t n;
    int dim;
} mf_labelled;

/* Trains on train for `epochs` passes (Adam 1e-3, batch 256, shuffled from seed) and
 * measures the accuracy on test. Progress lines go to log when not NULL. */
mf_status mf_classifier_train(mf_ctx *ctx, const mf_labelled *train, const mf_labelled *test,
                              int epochs, uint64_t seed, mf_classifier *out, FILE *log);

/* The file: magic "MFCLS1\0\0", sizes, accuracy, the parameters (temporary name, rename). */
mf_status mf_classifier_save(mf_ctx *ctx, const mf_classifier *c, const char *path);
/* MF_ERR_IO when missing; MF_ERR_FORMAT when not a classifier of `in` pixels. */
mf_status mf_classifier_load(mf_ctx *ctx, const char *path, int in, mf_classifier *out);
void mf_classifier_destroy(mf_ctx *ctx, mf_classifier *c);

/* Features (n x MF_CLS_FEATURES, may be NULL) and predicted classes (may be NULL) of n host
 * images. */
mf_status mf_classifier_apply(mf_ctx *ctx, mf_classifier *c, const float *x, size_t n,
                              float *features, int *pred);

/* Share of the n images whose predicted class is their label. */
mf_status mf_classifier_accuracy(mf_ctx *ctx, mf_classifier *c, const mf_labelled *set,
                                 double *acc);

#endif
