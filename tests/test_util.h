/* Small helpers shared by the tests: a context on the test device, checks that count
 * failures, and the closeness rule |a - ref| <= atol + rtol * |ref|. */
#ifndef MONOFLOW_TEST_UTIL_H
#define MONOFLOW_TEST_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "monoflow/buffer.h"
#include "monoflow/context.h"

/* Fails the test at once when a library call does not return MF_OK. */
#define MUST(call)                                                                             \
    do {                                                                                       \
        mf_status st_ = (call);                                                                \
        if (st_ != MF_OK) {                                                                    \
            fprintf(stderr, "FAIL %s:%d: %s -> %s: %s\n", __FILE__, __LINE__, #call,           \
                    mf_status_str(st_), mf_last_error());                                      \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)

static inline int close_to(double a, double ref, double atol, double rtol) {
    return fabs(a - ref) <= atol + rtol * fabs(ref) && !isnan(a);
}

/* Compares n values; reports the worst one. Returns the number out of tolerance. */
static inline int check_close(const char *what, const float *got, const double *ref, size_t n,
                              double atol, double rtol) {
    size_t bad = 0, worst = 0;
    double worst_excess = -1;
    for (size_t i = 0; i < n; i++) {
        double err = fabs(got[i] - ref[i]), excess = err - (atol + rtol * fabs(ref[i]));
        if (!close_to(got[i], ref[i], atol, rtol)) bad++;
        if (excess > worst_excess || isnan(got[i])) {
            worst_excess = excess;
            worst = i;
        }
    }
    test_checks++;
    if (bad) {
        test_failures++;
        fprintf(stderr, "FAIL %s: %zu of %zu out of |d| <= %g + %g|ref|; worst [%zu] %.9g vs %.9g\n",
                what, bad, n, atol, rtol, worst, got[worst], ref[worst]);
    }
    return (int)bad;
}

static inline mf_ctx *test_ctx(void) {
    mf_ctx *ctx = NULL;
    MUST(mf_ctx_create(mf_device_spec(NULL), &ctx));
    return ctx;
}

/* deterministic test data in [lo, hi) from a tiny LCG (independent of the library's RNG) */
/* a device copy of n host floats */
static inline mf_buf test_upload(mf_ctx *ctx, const float *x, size_t n) {
    mf_buf b;
    MUST(mf_buf_alloc(ctx, n, &b));
    MUST(mf_buf_write(ctx, &b, 0, n, x));
    return b;
}

static inline void fill_random(float *x, size_t n, unsigned seed, float lo, float hi) {
    unsigned long long s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = lo + (hi - lo) * (float)((s >> 40) * (1.0 / 16777216.0));
    }
}

#endif
