/* CLBlast tuning for devices its database does not know (PoCL CPUs, new GPUs): a search over
 * the direct GEMM kernel's parameters, timed on the products training actually runs, and a
 * per-device file in the cache that every later context applies with
 * CLBlastOverrideParameters. */
#ifndef MONOFLOW_TUNE_H
#define MONOFLOW_TUNE_H

#include <stdio.h>

#include "monoflow/context.h"
#include "monoflow/shapes.h"

/* XgemmDirect's parameters, in this order */
enum { MF_TP_WGD, MF_TP_MDIMCD, MF_TP_NDIMCD, MF_TP_MDIMAD, MF_TP_NDIMBD, MF_TP_KWID,
       MF_TP_VWMD, MF_TP_VWND, MF_TP_PADA, MF_TP_PADB, MF_TP_COUNT };

typedef struct {
    size_t v[MF_TP_COUNT];
} mf_tune_params;

const char *mf_tune_param_name(int i);

/* 1 when p satisfies the kernel's divisibility rules and fits the device's work-group and
 * local-memory limits (the constraints of CLBlast's own tuner). */
int mf_tune_valid(const mf_tune_params *p, size_t max_work_group, size_t local_mem);

/* Every valid point of the search space, in a fixed pseudo-random order from seed; *out is
 * malloc'd. */
mf_status mf_tune_space(size_t max_work_group, size_t local_mem, unsigned long long seed,
                        mf_tune_params **out, int *n);

/* "WGD=32 MDIMCD=8 ..." and back (MF_ERR_FORMAT naming the bad word). */
void mf_tune_format(const mf_tune_params *p, char *buf, size_t cap);
mf_status mf_tune_parse(const char *text, mf_tune_params *p);

/* Applies p to the device for every later CLBlast call in this process. */
mf_status mf_tune_override(mf_ctx *ctx, const mf_tune_params *p);

/* The tuning file of a device: CACHE/clblast/<device and driver, sanitised>.txt */
mf_status mf_tune_path(const mf_device_info *dev, char *buf, size_t cap);

/* Reads the device's tuning file; *found = 0 when there is none. */
mf_status mf_tune_load(const mf_device_info *dev, mf_tune_params *p, int *found);

/* Writes it (temporary name, then rename), with a comment line of what the search gained. */
mf_status mf_tune_save(const mf_device_info *dev, const mf_tune_params *p, const char *note);

/* Seconds one pass over the shapes takes with the parameters now in force (each product
 * `count` times): the median of `repeats` timed passes, after one untimed pass that
 * compiles and checks. That pass's results are compared with the first run's (the
 * reference: make the first run with CLBlast's defaults); MF_ERR_CLBLAST when any differs
 * by more than 1e-3 relative. shape_seconds (may be NULL) gets each product's median. */
typedef struct mf_tune_bench mf_tune_bench;
mf_status mf_tune_bench_create(mf_ctx *ctx, const mf_gemm_shape *shapes, int n,
                               mf_tune_bench **out);
void mf_tune_bench_destroy(mf_tune_bench *b);
mf_status mf_tune_bench_run(mf_tune_bench *b, int repeats, double *seconds,
                            double *shape_seconds);
/* the same with each product's fastest and slowest repeat (any pointer may be NULL) */
mf_status mf_tune_bench_spread(mf_tune_bench *b, int repeats, double *seconds, double *med,
                               double *lo, double *hi);

#endif
