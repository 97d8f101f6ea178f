/* A run as the commands see it: a context, a trainer, its directory; and the quality report
 * shared by train (at the end) and eval. */
#ifndef MONOFLOW_RUN_H
#define MONOFLOW_RUN_H

#include <stdio.h>

#include "monoflow/train.h"

typedef struct {
    mf_ctx *ctx;
    mf_trainer tr;
    char dir[1024];
} run_t;

mf_status run_open(run_t *r, const mf_config *cfg, const char *device_spec);
/* the run in dir, from its checkpoint */
mf_status run_load(run_t *r, const char *dir, const char *device_spec);
void run_close(run_t *r);

/* modes / HQ / reverse KL (ring8, grid25) and the KL estimates on n samples; labelled image
 * runs add their scores on n_images generated images (0: 10000). Returns the exit status. */
int run_report(run_t *r, FILE *out, int json, size_t n, size_t n_images,
               unsigned long long seed);

#endif
