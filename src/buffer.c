#include "internal.h"

mf_status mf_buf_alloc(mf_ctx *c, size_t n, mf_buf *out) {
    out->mem = NULL;
    out->n = 0;
    if (n == 0) n = 1; /* OpenCL refuses empty buffers; one float keeps shapes uniform */
    size_t bytes = n * sizeof(float);
    if (bytes > c->dev.max_alloc)
        return mf_fail(MF_ERR_ARG,
                       "a buffer of %zu MiB exceeds the device's largest allocation (%llu MiB): "
                       "use a smaller batch or network",
                       bytes >> 20, (unsigned long long)(c->dev.max_alloc >> 20));
    cl_int err;
    out->mem = clCreateBuffer(c->cl, CL_MEM_READ_WRITE, bytes, NULL, &err);
    if (err != CL_SUCCESS)
        return mf_fail(MF_ERR_CL, "allocating %zu bytes on %s failed: %s", bytes, c->dev.name,
                       mf_cl_error_str(err));
    out->n = n;
    c->bytes_held += bytes;
    if (c->bytes_held > c->bytes_peak) c->bytes_peak = c->bytes_held;
    /* zero, so that a GEMM with beta = 0 never meets NaN garbage */
    return mf_buf_fill(c, out, 0, n, 0.0f);
}

void mf_buf_free(mf_ctx *c, mf_buf *b) {
    if (!b->mem) return;
    clReleaseMemObject(b->mem);
    c->bytes_held -= b->n * sizeof(float);
    b->mem = NULL;
    b->n = 0;
}

mf_status mf_buf_write(mf_ctx *c, mf_buf *b, size_t off, size_t n, const float *src) {
    MF_ASSERT(off + n <= b->n);
    MF_CL_CHECK(clEnqueueWriteBuffer(c->queue, b->mem, CL_TRUE, off * sizeof(float),
                                     n * sizeof(float), src, 0, NULL, NULL));
    return MF_OK;
}

mf_status mf_buf_read(mf_ctx *c, const mf_buf *b, size_t off, size_t n, float *dst) {
    MF_ASSERT(off + n <= b->n);
    MF_CL_CHECK(clEnqueueReadBuffer(c->queue, b->mem, CL_TRUE, off * sizeof(float),
                                    n * sizeof(float), dst, 0, NULL, NULL));
    return MF_OK;
}

mf_status mf_buf_fill(mf_ctx *c, mf_buf *b, size_t off, size_t n, float v) {
    MF_ASSERT(off + n <= b->n);
    if (n == 0) return MF_OK;
    MF_CL_CHECK(clEnqueueFillBuffer(c->queue, b->mem, &v, sizeof v, off * sizeof(float),
                                    n * sizeof(float), 0, NULL,
                                    mf_event_slot(c, "fill", 0)));
    return MF_OK;
}

mf_status mf_buf_copy(mf_ctx *c, const mf_buf *src, size_t src_off, mf_buf *dst, size_t dst_off,
                      size_t n) {
    MF_ASSERT(src_off + n <= src->n && dst_off + n <= dst->n);
    if (n == 0) return MF_OK;
    MF_CL_CHECK(clEnqueueCopyBuffer(c->queue, src->mem, dst->mem, src_off * sizeof(float),
                                    dst_off * sizeof(float), n * sizeof(float), 0, NULL,
                                    mf_event_slot(c, "copy", 0)));
    return MF_OK;
}
