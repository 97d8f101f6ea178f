/* Kernel and GEMM timing from a profiling queue: every enqueue records an event with a name,
 * a phase and its FLOPs; mf_profile_collect turns the events into per-name totals. */
#ifndef MONOFLOW_PROFILE_H
#define MONOFLOW_PROFILE_H

#include <stdio.h>

#include "monoflow/context.h"

#define MF_PROFILE_MAX_ENTRIES 64
#define MF_PROFILE_MAX_PHASES 8

typedef struct {
    const char *name;   /* kernel or "gemm_NT" etc. */
    int phase;          /* set by mf_profile_phase when enqueued */
    unsigned long count;
    double seconds;     /* summed END - START */
    double flops;       /* summed; 0 for non-GEMM kernels */
} mf_profile_entry;

void mf_profile_enable(mf_ctx *ctx, int on);
int mf_profile_enabled(const mf_ctx *ctx);

/* Tags the following enqueues with a phase (0..MF_PROFILE_MAX_PHASES-1). */
void mf_profile_phase(mf_ctx *ctx, int phase);

/* Waits for the recorded events and adds their times to the totals. */
mf_status mf_profile_collect(mf_ctx *ctx);

/* The totals so far (after collect); n entries. */
const mf_profile_entry *mf_profile_entries(const mf_ctx *ctx, int *n);
void mf_profile_reset(mf_ctx *ctx);

/* A table of the totals: per entry milliseconds per `per` (e.g. per pass), share and, for
 * GEMMs, GFLOP/s; then the GEMM and own-kernel shares. */
void mf_profile_print(const mf_ctx *ctx, FILE *f, double per);

/* FLOPs of every GEMM enqueued since the context was made (counted with profiling off too). */
double mf_gemm_flops_total(const mf_ctx *ctx);

#endif
