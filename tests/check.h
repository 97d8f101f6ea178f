/* The checks every test counts with, and the closing line "N passed, N failed". Plain C:
 * tests that need no OpenCL include only this. */
#ifndef MONOFLOW_TEST_CHECK_H
#define MONOFLOW_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include "../include/monoflow/leakcheck.h" /* by path: some tests have no include dirs */

static int test_checks, test_failures;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        test_checks++;                                                                         \
        if (!(cond)) {                                                                         \
            test_failures++;                                                                   \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                               \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fprintf(stderr, "\n");                                                             \
        }                                                                                      \
    } while (0)

#define CHECK_NEAR(got, want, tol)                                                             \
    CHECK(fabs((got) - (want)) <= (tol), "%s = %.12g, want %.12g (|d| <= %g)", #got,         \
          (double)(got), (double)(want), (double)(tol))

static inline int test_finish(const char *name) {
    MF_LEAK_CHECK();
    printf("%s: %d passed, %d failed\n", name, test_checks - test_failures, test_failures);
    return test_failures ? 1 : 0;
}

#endif
