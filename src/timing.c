#include "monoflow/timing.h"

#include <stdlib.h>
#include <time.h>

double mf_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int ascending(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

void mf_spread(double *v, int n, double *median, double *lo, double *hi) {
    qsort(v, (size_t)n, sizeof *v, ascending);
    if (median) *median = v[n / 2];
    if (lo) *lo = v[0];
    if (hi) *hi = v[n - 1];
}
