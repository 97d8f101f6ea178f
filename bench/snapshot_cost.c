/* What the live view costs the trainer: the time of one training iteration (default
 * configuration, ring8) against the time of one snapshot capture (D on the 64 x 48 map,
 * 256 real and 256 generated samples, histograms), interleaved in one run. The trainer
 * captures at most once a second, so the share of training time it takes is at most the
 * capture time per second of training.
 * usage: monoflow-bench-snapshot [--device SPEC] [--rounds N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/timing.h"
#include "monoflow/train.h"

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *device = NULL;
    int rounds = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--device")) device = argv[i + 1];
        else if (!strcmp(argv[i], "--rounds")) rounds = atoi(argv[i + 1]);
    }
    if (rounds < 1 || rounds > 1000) rounds = 20;
    mf_ctx *ctx;
    mf_config cfg;
    mf_trainer t;
    mf_config_defaults(&cfg);
    static mf_snapshot s;
    mf_snapshot_init(&s);
    if (mf_ctx_create(mf_device_spec(device), &ctx) != MF_OK ||
        mf_trainer_create(ctx, &cfg, &t) != MF_OK) {
        fprintf(stderr, "monoflow-bench-snapshot: %s\n", mf_last_error());
        return 1;
    }
    double *it = malloc(sizeof(double) * rounds), *cap = malloc(sizeof(double) * rounds);
    for (int w = 0; w < 20; w++) mf_trainer_step(&t, 0); /* warm-up: kernels specialised */
    mf_trainer_snapshot(&t, &s);
    for (int r = 0; r < rounds; r++) {
        mf_ctx_finish(ctx);
        double t0 = mf_seconds();
        for (int k = 0; k < 10; k++) mf_trainer_step(&t, 0);
        mf_ctx_finish(ctx);
        double t1 = mf_seconds();
        mf_trainer_snapshot(&t, &s);
        double t2 = mf_seconds();
        it[r] = (t1 - t0) / 10;
        cap[r] = t2 - t1;
    }
    qsort(it, rounds, sizeof *it, cmp);
    qsort(cap, rounds, sizeof *cap, cmp);
    double mi = it[rounds / 2], mc = cap[rounds / 2];
    printf("device %s, %d rounds (median, [min, max]):\n", mf_ctx_device(ctx)->name, rounds);
    printf("  one training iteration  %7.2f ms  [%.2f, %.2f]\n", mi * 1e3, it[0] * 1e3, it[rounds - 1] * 1e3);
    printf("  one snapshot capture    %7.2f ms  [%.2f, %.2f]  = %.2f iterations\n", mc * 1e3,
           cap[0] * 1e3, cap[rounds - 1] * 1e3, mc / mi);
    printf("  at one capture a second (the trainer's rate): %.1f %% of training time\n", 100 * mc);
    free(it);
    free(cap);
    mf_trainer_destroy(&t);
    mf_ctx_destroy(ctx);
    return 0;
}
