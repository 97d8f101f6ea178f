/* A fixed regression task fitted by an MLP on the device: the engine's end-to-end check, run
 * by `monoflow demo` and by the test suite. */
#ifndef MONOFLOW_DEMO_H
#define MONOFLOW_DEMO_H

#include "monoflow/context.h"

typedef struct {
    int steps;        /* Adam steps, full batch */
    int points;       /* training points */
    int hidden;       /* width of the two hidden layers */
    float lr;
    unsigned long long seed;
} mf_demo_config;

typedef struct {
    double loss_first, loss_last; /* mean squared error before the first and after the last step */
    double seconds;               /* wall time of the steps */
    int log_every;                /* the losses below were read every log_every steps */
} mf_demo_result;

/* y = sin(1.5 x0) cos(x1) on x uniform in [-2, 2]^2, MLP 2-H-H-1 tanh, Adam.
 * on_log (may be NULL) gets the loss every log_every steps (a read-back only then). */
mf_status mf_demo_regression(mf_ctx *ctx, const mf_demo_config *cfg, int log_every,
                             void (*on_log)(int step, double loss, void *user), void *user,
                             mf_demo_result *out, float *final_params, size_t *n_params);

#endif
