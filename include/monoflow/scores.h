/* The image scores of a run (eval): the Fréchet distance between test images and generated
 * ones in the project's classifier space, and the classifier's predicted-class histogram of
 * the generated images. The classifier is trained on the run's training images and labels
 * the first time (MF_CLS_EPOCHS epochs) and kept in CACHE/classifier/. Test images:
 * Fashion-MNIST's t10k set; for idx:IMAGES,LABELS the last 10 % of the file, held out of
 * the classifier's training. */
#ifndef MONOFLOW_SCORES_H
#define MONOFLOW_SCORES_H

#include <stdio.h>

#include "monoflow/classifier.h"
#include "monoflow/train.h"

typedef struct {
    double fid;               /* squared Fréchet distance of the two feature Gaussians */
    double accuracy;          /* the classifier's test accuracy */
    int counts[MF_CLS_CLASSES];
    int covered;              /* classes given to at least 1 % of the generated images */
    double class_reverse_kl;  /* KL(predicted-class histogram || uniform) */
    size_t n_gen, n_test;
    int trained;              /* 1 when the classifier was trained by this call */
    char classifier_path[600];
} mf_image_scores;

/* n generated images from seed; progress of a first classifier training goes to log */
mf_status mf_image_scores_compute(mf_trainer *t, size_t n, uint64_t seed, FILE *log,
                                  mf_image_scores *out);

#endif
