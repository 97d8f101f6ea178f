/* Reductions on the device, reproducible: a fixed order of additions for a given n. */
#ifndef MONOFLOW_REDUCE_H
#define MONOFLOW_REDUCE_H

#include "monoflow/buffer.h"

/* out[out_idx] = sum of x[off .. off+n), enqueued. */
mf_status mf_sum(mf_ctx *ctx, const mf_buf *x, size_t off, size_t n, mf_buf *out,
                 size_t out_idx);

#endif
