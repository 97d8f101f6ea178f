/* CLBlast tuning for devices its database does not know (PoCL CPUs, new GPUs): a search over
 * the GEMM kernels' parameters and the size from which the indirect kernel takes over, timed
 * on the products training actually runs, and a per-device file in the cache that every
 * later context applies with CLBlastOverrideParameters. */
#ifndef MONOFLOW_TUNE_H
#define MONOFLOW_TUNE_H

#include <stdio.h>

#include "monoflow/context.h"
#include "monoflow/shapes.h"

/* The two GEMM kernels CLBlast picks between: the direct one (one launch, any shape) and the
 * indirect one (operands copied into padded, transposed scratch first; faster on large
 * products once tuned). */
typedef enum { MF_TUNE_DIRECT, MF_TUNE_INDIRECT, MF_TUNE_KERNELS } mf_tune_kernel;

#define MF_TUNE_MAX 16

/* XgemmDirect's parameters, in this order */
enum { MF_TP_WGD, MF_TP_MDIMCD, MF_TP_NDIMCD, MF_TP_MDIMAD, MF_TP_NDIMBD, MF_TP_KWID,
       MF_TP_VWMD, MF_TP_VWND, MF_TP_PADA, MF_TP_PADB, MF_TP_COUNT };

/* Xgemm's, in this order (CLBlast's own) */
enum { MF_TX_GEMMK, MF_TX_KREG, MF_TX_KWG, MF_TX_KWI, MF_TX_MDIMA, MF_TX_MDIMC, MF_TX_MWG,
       MF_TX_NDIMB, MF_TX_NDIMC, MF_TX_NWG, MF_TX_SA, MF_TX_SB, MF_TX_STRM, MF_TX_STRN,
       MF_TX_VWM, MF_TX_VWN, MF_TX_COUNT };

typedef struct {
    mf_tune_kernel kernel;
    size_t v[MF_TUNE_MAX];
} mf_tune_params;

/* A device's whole GEMM setting: the direct kernel's parameters and, when the search found
 * the indirect kernel faster on the large products, its parameters and the size from which
 * CLBlast takes it (products with m n k >= min_indirect^3). */
typedef struct {
    mf_tune_params direct;
    int indirect_on;
    mf_tune_params indirect;
    size_t min_indirect;
} mf_tuning;

/* The direct kernel alone, whatever the size (larger than any training product). */
#define MF_TUNE_NEVER_INDIRECT 4096

const char *mf_tune_kernel_name(mf_tune_kernel k); /* CLBlast's: XgemmDirect, Xgemm */
int mf_tune_count(mf_tune_kernel k);
const char *mf_tune_param_name(mf_tune_kernel k, int i);

/* 1 when p satisfies its kernel's divisibility rules and fits the device's work-group and
 * local-memory limits (the constraints of CLBlast's own tuners). */
int mf_tune_valid(const mf_tune_params *p, size_t max_work_group, size_t local_mem);

/* Every valid point of a kernel's search space, in a fixed pseudo-random order from seed;
 * *out is malloc'd. */
mf_status mf_tune_space(mf_tune_kernel k, size_t max_work_group, size_t local_mem,
                        unsigned long long seed, mf_tune_params **out, int *n);

/* "WGD=32 MDIMCD=8 ..." and back (MF_ERR_FORMAT naming the bad word). */
void mf_tune_format(const mf_tune_params *p, char *buf, size_t cap);
mf_status mf_tune_parse(mf_tune_kernel k, const char *text, mf_tune_params *p);
/* the whole setting in one line, as bench and the context report it */
void mf_tuning_format(const mf_tuning *t, char *buf, size_t cap);

/* Applies p to the device for every later CLBlast call in this process. */
mf_status mf_tune_override(mf_ctx *ctx, const mf_tune_params *p);
/* Products with m n k >= size^3 take the indirect kernel from now on. */
mf_status mf_tune_indirect_from(mf_ctx *ctx, size_t size);
/* all of t (the indirect part only when it is on) */
mf_status mf_tune_apply(mf_ctx *ctx, const mf_tuning *t);

/* The tuning file of a device: CACHE/clblast/<device and driver, sanitised>.txt */
mf_status mf_tune_path(const mf_device_info *dev, char *buf, size_t cap);

/* Reads the device's tuning file; *found = 0 when there is none. */
mf_status mf_tune_load(const mf_device_info *dev, mf_tuning *t, int *found);

/* Writes it (temporary name, then rename), with a comment line of what the search gained. */
mf_status mf_tune_save(const mf_device_info *dev, const mf_tuning *t, const char *note);

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
