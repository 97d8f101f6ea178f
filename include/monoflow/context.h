/* The run's context: one device, one OpenCL context, one in-order queue, the project's
 * kernels built (or loaded from the cache) once, and the device memory the library holds. */
#ifndef MONOFLOW_CONTEXT_H
#define MONOFLOW_CONTEXT_H

#include "monoflow/device.h"
#include "monoflow/program.h"

typedef struct mf_ctx mf_ctx;

/* device_spec as for mf_device_select (NULL = default device). Profiling (event timing of
 * every kernel and GEMM) is off until mf_profile_enable turns it on. */
mf_status mf_ctx_create(const char *device_spec, mf_ctx **out);

/* flags: MF_CTX_GEMM_DEFAULTS leaves CLBlast on its own parameters even where `monoflow tune`
 * stored better ones for the device (mf_ctx_create applies them). */
#define MF_CTX_GEMM_DEFAULTS 1
mf_status mf_ctx_create_flags(const char *device_spec, int flags, mf_ctx **out);
void mf_ctx_destroy(mf_ctx *ctx);

const mf_device_info *mf_ctx_device(const mf_ctx *ctx);
const mf_build_info *mf_ctx_build_info(const mf_ctx *ctx);
/* the GEMM parameters applied from the tuning file, as mf_tuning_format writes them ("" when
 * CLBlast's own) */
const char *mf_ctx_tuning(const mf_ctx *ctx);
cl_context mf_ctx_cl(const mf_ctx *ctx);
cl_command_queue mf_ctx_queue(const mf_ctx *ctx);

/* Bytes of device memory the library's buffers hold now, and at most so far. */
size_t mf_ctx_bytes_held(const mf_ctx *ctx);
size_t mf_ctx_bytes_peak(const mf_ctx *ctx);

/* Waits for everything enqueued; the one place the host blocks besides reads. */
mf_status mf_ctx_finish(mf_ctx *ctx);

#endif
