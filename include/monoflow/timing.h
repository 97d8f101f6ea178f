/* Wall-clock timing shared by the trainer, the benchmarks and the tuner. */
#ifndef MONOFLOW_TIMING_H
#define MONOFLOW_TIMING_H

/* monotonic seconds (for differences only) */
double mf_seconds(void);

/* Sorts v[0..n) and gives its median, smallest and largest (any pointer may be NULL). */
void mf_spread(double *v, int n, double *median, double *lo, double *hi);

#endif
