#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/tune.h"
#include "internal.h"

extern const char mf_cl_source[];
extern const size_t mf_cl_source_len;

static const char *kernel_names[MF_K_COUNT] = {
#define X(name) #name,
    MF_KERNELS(X)
#undef X
};

#define DEFAULT_LOCAL 64

static mf_status make_kernels(mf_ctx *c) {
    for (int i = 0; i < MF_K_COUNT; i++) {
        cl_int err;
        c->kernels[i] = clCreateKernel(c->program, kernel_names[i], &err);
        if (err != CL_SUCCESS)
            return mf_fail(MF_ERR_CL, "clCreateKernel(%s): %s", kernel_names[i],
                           mf_cl_error_str(err));
        MF_CL_CHECK(clGetKernelWorkGroupInfo(c->kernels[i], c->dev.device,
                                             CL_KERNEL_WORK_GROUP_SIZE,
                                             sizeof c->kernel_wg[i], &c->kernel_wg[i], NULL));
    }
    return MF_OK;
}

static mf_status make_queue(mf_ctx *c) {
    cl_command_queue_properties props = 0;
    clGetDeviceInfo(c->dev.device, CL_DEVICE_QUEUE_PROPERTIES, sizeof props, &props, NULL);
    /* profiling is asked for only where the device offers it (clpeak 2.x does the same) */
    cl_command_queue_properties want = props & CL_QUEUE_PROFILING_ENABLE;
    cl_int err;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    c->queue = clCreateCommandQueue(c->cl, c->dev.device, want, &err);
#pragma GCC diagnostic pop
    if (err != CL_SUCCESS)
        return mf_fail(MF_ERR_CL, "clCreateCommandQueue on %s: %s", c->dev.name,
                       mf_cl_error_str(err));
    return MF_OK;
}

/* the device's `monoflow tune` result, when there is one, for every GEMM of this process */
static mf_status apply_tuning(mf_ctx *c) {
    mf_tuning t;
    int found;
    MF_TRY(mf_tune_load(&c->dev, &t, &found));
    if (!found) return MF_OK;
    MF_TRY(mf_tune_apply(c, &t));
    mf_tuning_format(&t, c->tuning, sizeof c->tuning);
    return MF_OK;
}

static mf_status ctx_init(mf_ctx *c, const char *spec, int flags) {
    MF_TRY(mf_device_select(spec, &c->dev));
    cl_int err;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)c->dev.platform,
                                     0};
    c->cl = clCreateContext(props, 1, &c->dev.device, NULL, NULL, &err);
    if (err != CL_SUCCESS)
        return mf_fail(MF_ERR_CL, "clCreateContext on %s: %s", c->dev.name,
                       mf_cl_error_str(err));
    MF_TRY(make_queue(c));
    if (!(flags & MF_CTX_GEMM_DEFAULTS)) MF_TRY(apply_tuning(c));
    MF_TRY(mf_program_build(c->cl, &c->dev, mf_cl_source, mf_cl_source_len, NULL, &c->program,
                            &c->build));
    return make_kernels(c);
}

mf_status mf_ctx_create(const char *device_spec, mf_ctx **out) {
    return mf_ctx_create_flags(device_spec, 0, out);
}

mf_status mf_ctx_create_flags(const char *device_spec, int flags, mf_ctx **out) {
    *out = NULL;
    mf_ctx *c = calloc(1, sizeof *c);
    if (!c) return mf_fail(MF_ERR_NOMEM, "out of host memory creating the context");
    c->pending = calloc(MF_PENDING_MAX, sizeof *c->pending);
    if (!c->pending) {
        free(c);
        return mf_fail(MF_ERR_NOMEM, "out of host memory creating the context");
    }
    mf_status st = ctx_init(c, device_spec, flags);
    if (st != MF_OK) {
        mf_ctx_destroy(c);
        return st;
    }
    *out = c;
    return MF_OK;
}

void mf_ctx_destroy(mf_ctx *c) {
    if (!c) return;
    if (c->queue) clFinish(c->queue);
    for (int i = 0; i < c->n_pending; i++) {
        if (c->pending[i].ev) clReleaseEvent(c->pending[i].ev);
        if (c->pending[i].start) clReleaseEvent(c->pending[i].start);
    }
    if (c->gemm_temp.mem) clReleaseMemObject(c->gemm_temp.mem);
    if (c->partials.mem) clReleaseMemObject(c->partials.mem);
    for (int i = 0; i < MF_K_COUNT; i++)
        if (c->kernels[i]) clReleaseKernel(c->kernels[i]);
    if (c->program) clReleaseProgram(c->program);
    if (c->queue) clReleaseCommandQueue(c->queue);
    if (c->cl) clReleaseContext(c->cl);
    free(c->pending);
    free(c);
}

const mf_device_info *mf_ctx_device(const mf_ctx *c) { return &c->dev; }
const mf_build_info *mf_ctx_build_info(const mf_ctx *c) { return &c->build; }
cl_context mf_ctx_cl(const mf_ctx *c) { return c->cl; }
cl_command_queue mf_ctx_queue(const mf_ctx *c) { return c->queue; }
const char *mf_ctx_tuning(const mf_ctx *c) { return c->tuning; }
size_t mf_ctx_bytes_held(const mf_ctx *c) { return c->bytes_held; }
size_t mf_ctx_bytes_peak(const mf_ctx *c) { return c->bytes_peak; }

mf_status mf_ctx_finish(mf_ctx *c) {
    MF_CL_CHECK(clFinish(c->queue));
    return MF_OK;
}

void mf_set_args(cl_kernel k, int n, ...) {
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        size_t size = va_arg(ap, size_t);
        const void *ptr = va_arg(ap, const void *);
        cl_int err = clSetKernelArg(k, (cl_uint)i, size, ptr);
        MF_ASSERT(err == CL_SUCCESS);
        (void)err;
    }
    va_end(ap);
}

static size_t local_size(const mf_ctx *c, int kid) {
    size_t l = DEFAULT_LOCAL;
    if (c->kernel_wg[kid] && l > c->kernel_wg[kid]) l = c->kernel_wg[kid];
    if (c->dev.max_work_group && l > c->dev.max_work_group) l = c->dev.max_work_group;
    return l ? l : 1;
}

mf_status mf_launch_local(mf_ctx *c, int kid, size_t global, size_t local) {
    cl_event *ev = mf_event_slot(c, kernel_names[kid], 0);
    cl_int err = clEnqueueNDRangeKernel(c->queue, c->kernels[kid], 1, NULL, &global, &local, 0,
                                        NULL, ev);
    if (err != CL_SUCCESS)
        return mf_fail(MF_ERR_CL, "enqueue of kernel %s (global %zu, local %zu) failed: %s",
                       kernel_names[kid], global, local, mf_cl_error_str(err));
    return MF_OK;
}

mf_status mf_ctx_scratch(mf_ctx *c, mf_buf *slot, size_t n) {
    if (n <= slot->n) return MF_OK;
    cl_int err;
    cl_mem m = clCreateBuffer(c->cl, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &err);
    if (err != CL_SUCCESS)
        return mf_fail(MF_ERR_CL, "scratch of %zu floats on %s: %s", n, c->dev.name,
                       mf_cl_error_str(err));
    if (slot->mem) clReleaseMemObject(slot->mem); /* waits for the work queued on it */
    slot->mem = m;
    slot->n = n;
    return MF_OK;
}

mf_status mf_launch_rows(mf_ctx *c, int kid, size_t cols, size_t row_groups) {
    if (cols == 0 || row_groups == 0) return MF_OK;
    size_t l0 = local_size(c, kid);
    while (l0 > 1 && l0 / 2 >= cols) l0 /= 2; /* narrow layers: no idle columns */
    size_t global[2] = {(cols + l0 - 1) / l0 * l0, row_groups}, local[2] = {l0, 1};
    cl_event *ev = mf_event_slot(c, kernel_names[kid], 0);
    cl_int err = clEnqueueNDRangeKernel(c->queue, c->kernels[kid], 2, NULL, global, local, 0,
                                        NULL, ev);
    if (err != CL_SUCCESS)
        return mf_fail(MF_ERR_CL, "enqueue of kernel %s (%zu x %zu, local %zu) failed: %s",
                       kernel_names[kid], global[0], global[1], l0, mf_cl_error_str(err));
    return MF_OK;
}

mf_status mf_launch(mf_ctx *c, int kid, size_t n) {
    if (n == 0) return MF_OK;
    size_t l = local_size(c, kid);
    return mf_launch_local(c, kid, (n + l - 1) / l * l, l);
}
