/* Float buffers on the device. Allocated once (per network and batch size), zero-filled,
 * reused every step; the context counts the bytes they hold. */
#ifndef MONOFLOW_BUFFER_H
#define MONOFLOW_BUFFER_H

#include "monoflow/context.h"

typedef struct {
    cl_mem mem;
    size_t n; /* floats */
} mf_buf;

mf_status mf_buf_alloc(mf_ctx *ctx, size_t n, mf_buf *out);
void mf_buf_free(mf_ctx *ctx, mf_buf *b);

/* Blocking copies of n floats at float offset off. */
mf_status mf_buf_write(mf_ctx *ctx, mf_buf *b, size_t off, size_t n, const float *src);
mf_status mf_buf_read(mf_ctx *ctx, const mf_buf *b, size_t off, size_t n, float *dst);

/* Enqueued fill of n floats at off with v (no host wait). */
mf_status mf_buf_fill(mf_ctx *ctx, mf_buf *b, size_t off, size_t n, float v);

/* Enqueued device-to-device copy of n floats. */
mf_status mf_buf_copy(mf_ctx *ctx, const mf_buf *src, size_t src_off, mf_buf *dst,
                      size_t dst_off, size_t n);

#endif
