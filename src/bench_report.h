/* What `monoflow bench` measured, and its outputs: the terminal table, --json, --csv and
 * --compare against an earlier --json. */
#ifndef MONOFLOW_BENCH_REPORT_H
#define MONOFLOW_BENCH_REPORT_H

#include <stdio.h>

#include "monoflow/bench.h"
#include "monoflow/shapes.h"
#include "monoflow/status.h"

typedef struct {
    char config[8];
    char what[64];
    int m, n, k;
    double gflops, gf_lo, gf_hi;   /* median repeat, slowest and fastest */
} rep_gemm;

typedef struct {
    char config[8];
    char mode[12];
    int k;
    mf_bench_iter it;
} rep_iter;

#define REP_MAX_GEMM (2 * MF_SHAPES_MAX)
#define REP_MAX_ITER 16

typedef struct {
    char name[128], platform[128], driver[64], type[16], tuning[640];
    double cold_s, warm_s;         /* process start to the first finished iteration */
    int have_start;
    rep_gemm gemm[REP_MAX_GEMM];
    int n_gemm;
    rep_iter iter[REP_MAX_ITER];
    int n_iter;
} rep_device;

typedef struct {
    char config[8], mode[12];
    int k, threads;
    double it_per_s, sec_iter, sec_min, sec_max;
    char framework[64];
} rep_torch;

#define REP_MAX_DEV 8

typedef struct {
    char machine[160], date[32], command[512];
    int repeats, iters, warmup;
    rep_device dev[REP_MAX_DEV];
    int n_dev;
    rep_torch torch[8];
    int n_torch;
    char torch_note[700];          /* why PyTorch was skipped, when it was */
} bench_report;

void report_print(const bench_report *r, FILE *f);
mf_status report_write_json(const bench_report *r, const char *path);
mf_status report_write_csv(const bench_report *r, const char *path);
/* MF_OK when path is a readable `monoflow bench --json` file (checked before a run). */
mf_status report_check(const char *path);
/* Each figure of r next to the same figure in the --json file at path, with its change. */
mf_status report_compare(const bench_report *r, const char *path, FILE *f);

#endif
