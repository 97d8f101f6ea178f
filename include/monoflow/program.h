/* Building OpenCL programs with options fitted to the device, and a disk cache of the
 * compiled binaries so a second start does not recompile. */
#ifndef MONOFLOW_PROGRAM_H
#define MONOFLOW_PROGRAM_H

#include "monoflow/device.h"

typedef struct {
    int from_cache;      /* 1 when the binary came from the disk cache */
    int cache_written;   /* 1 when a new binary was stored */
    double seconds;      /* wall time of the whole build or load */
    char path[512];      /* the cache file ("" when caching is off or impossible) */
} mf_build_info;

/* The cache directory: $MONOFLOW_CACHE_DIR, else $XDG_CACHE_HOME/monoflow, else
 * ~/.cache/monoflow. Returns buf, or NULL when none can be named. */
const char *mf_cache_dir(char *buf, size_t cap);

/* Options for this device: -cl-std only where CL_DEVICE_OPENCL_C_VERSION allows it. */
void mf_build_options(const mf_device_info *dev, const char *extra, char *buf, size_t cap);

/* Builds src for dev. On a build failure the message holds the build log (MF_ERR_BUILD). */
mf_status mf_program_build(cl_context ctx, const mf_device_info *dev, const char *src,
                           size_t len, const char *extra_options, cl_program *out,
                           mf_build_info *info);

/* 64-bit FNV-1a, the hash of cache keys. */
unsigned long long mf_hash64(const void *data, size_t len, unsigned long long h);

#endif
