/* The run directory: config.json, metrics.jsonl (one JSON line per logged iteration),
 * checkpoint.mfck, samples-ITER.csv. Every file but the log is written to a temporary name
 * and renamed; an existing run is never overwritten. */
#ifndef MONOFLOW_RUNLOG_H
#define MONOFLOW_RUNLOG_H

#include <stdio.h>

#include "monoflow/files.h"
#include "monoflow/train.h"

#define MF_CHECKPOINT_FILE "checkpoint.mfck"

/* Makes a new run directory: requested, or runs/YYYYmmdd-HHMMSS when NULL. Refuses a
 * directory that already holds a run, or one it cannot write to. The path goes to out. */
mf_status mf_rundir_create(const char *requested, char *out, size_t cap);

/* dir/name into out */
void mf_rundir_path(const char *dir, const char *name, char *out, size_t cap);

mf_status mf_write_points_csv(const char *path, const float *pts, size_t n, int dim);

/* Opens dir/metrics.jsonl for appending; with keep_upto >= 0 first drops the lines of
 * iterations after keep_upto (a resumed run continues its log where its checkpoint was). */
mf_status mf_metrics_open(const char *dir, long keep_upto, FILE **out);
void mf_metrics_write(FILE *f, const mf_train_stats *s, double it_per_s, double elapsed);

#endif
