#include "monoflow/reduce.h"

#include "internal.h"

/* the largest power of two <= 256 the kernel and device allow */
static size_t reduce_local(const mf_ctx *c) {
    size_t cap = c->kernel_wg[MF_K_sum_reduce];
    if (!cap || cap > c->dev.max_work_group) cap = c->dev.max_work_group;
    size_t l = 256;
    while (l > 1 && l > cap) l /= 2;
    return l;
}

mf_status mf_sum(mf_ctx *c, const mf_buf *x, size_t off, size_t n, mf_buf *out,
                 size_t out_idx) {
    MF_ASSERT(off + n <= x->n && out_idx < out->n);
    size_t l = reduce_local(c);
    cl_uint uoff = (cl_uint)off, un = (cl_uint)n, uidx = (cl_uint)out_idx;
    cl_kernel k = c->kernels[MF_K_sum_reduce];
    mf_set_args(k, 5, MF_ARG(x->mem), MF_ARG(uoff), MF_ARG(un), MF_ARG(out->mem), MF_ARG(uidx));
    cl_int err = clSetKernelArg(k, 5, l * sizeof(float), NULL);
    MF_ASSERT(err == CL_SUCCESS);
    (void)err;
    return mf_launch_local(c, MF_K_sum_reduce, l, l);
}
