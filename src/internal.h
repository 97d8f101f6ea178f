/* What the library's parts share and users do not see: the context's layout, the kernel
 * table and the launch helpers. */
#ifndef MONOFLOW_INTERNAL_H
#define MONOFLOW_INTERNAL_H

#include "monoflow/buffer.h"
#include "monoflow/context.h"
#include "monoflow/profile.h"

/* every kernel in cl/, by the name it has there */
#define MF_KERNELS(X)                                                                          \
    X(bias_act) X(act_backward_bias) X(col_sum) X(logistic_loss) X(gen_loss) X(fit_loss)       \
    X(sum_reduce) X(adam_step) X(sgd_step) X(ema_step) X(rng_uniform) X(rng_normal)           \
    X(sample_toy) X(sample_rows) X(push) X(softmax_ce)

enum {
#define X(name) MF_K_##name,
    MF_KERNELS(X)
#undef X
    MF_K_COUNT
};

#include "monoflow/buffer.h"

#define MF_PENDING_MAX 4096

typedef struct {
    cl_event ev;
    cl_event start; /* a marker before a call of several kernels (NULL: ev alone) */
    const char *name;
    int phase;
    double flops;
} mf_pending;

/* A product's arguments and the scratch bytes CLBlast says it needs with them */
#define MF_GEMM_NEEDS 64
typedef struct {
    size_t key[11];
    size_t bytes;
} mf_gemm_need;

/* Forgets the scratch sizes: call when GEMM parameters change (they set the padding). */
void mf_gemm_forget_needs(mf_ctx *ctx);

struct mf_ctx {
    mf_device_info dev;
    cl_context cl;
    cl_command_queue queue;
    cl_program program;
    mf_build_info build;
    cl_kernel kernels[MF_K_COUNT];
    size_t kernel_wg[MF_K_COUNT]; /* CL_KERNEL_WORK_GROUP_SIZE */
    size_t bytes_held, bytes_peak;
    char tuning[640];
    double gemm_flops;
    /* scratch kept across calls and grown on demand (mf_ctx_scratch), not in bytes_held */
    mf_buf gemm_temp; /* CLBlast's padded copies for the indirect GEMM */
    mf_buf partials;  /* per-block column sums of act_backward_bias */
    mf_gemm_need needs[MF_GEMM_NEEDS]; /* scratch each product shape needs, asked once */
    int n_needs;
    int profiling, phase;
    mf_pending *pending;
    int n_pending;
    mf_profile_entry entries[MF_PROFILE_MAX_ENTRIES];
    int n_entries;
};

/* An event slot to pass to an enqueue when profiling, else NULL. */
cl_event *mf_event_slot(mf_ctx *ctx, const char *name, double flops);

/* The same for a library call that may enqueue several kernels but returns the last one's
 * event (CLBlast's indirect GEMM): a marker first, so the time counts from there. */
cl_event *mf_event_slot_span(mf_ctx *ctx, const char *name, double flops);

/* Sets kernel arguments from (size, pointer) pairs; a wrong one is a programmer error. */
void mf_set_args(cl_kernel k, int n, ...);
#define MF_ARG(v) sizeof(v), (const void *)&(v)

/* Enqueues kernel id over n work-items (padded to a multiple of the local size; kernels
 * bounds-check). */
mf_status mf_launch(mf_ctx *ctx, int kid, size_t n);

/* Grows one of the context's scratch buffers (&ctx->gemm_temp, &ctx->partials) to at least
 * n floats; what it held is not kept. */
mf_status mf_ctx_scratch(mf_ctx *ctx, mf_buf *slot, size_t n);

/* Enqueues a 2D range: dimension 0 over cols (padded to a multiple of the local size,
 * narrowed for narrow layers), dimension 1 over row_groups. */
mf_status mf_launch_rows(mf_ctx *ctx, int kid, size_t cols, size_t row_groups);

/* Enqueues with an explicit local size (global = groups * local). */
mf_status mf_launch_local(mf_ctx *ctx, int kid, size_t global, size_t local);

#define MF_CL_CHECK(call)                                                                      \
    do {                                                                                       \
        cl_int mf_err_ = (call);                                                               \
        if (mf_err_ != CL_SUCCESS)                                                             \
            return mf_fail(MF_ERR_CL, "%s failed: %s (%s:%d)", #call,                          \
                           mf_cl_error_str(mf_err_), __FILE__, __LINE__);                      \
    } while (0)

#define MF_TRY(call)                                                                           \
    do {                                                                                       \
        mf_status mf_st_ = (call);                                                             \
        if (mf_st_ != MF_OK) return mf_st_;                                                    \
    } while (0)

#endif
