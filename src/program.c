#include "monoflow/timing.h"
#include "monoflow/program.h"

#include "monoflow/files.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MAGIC "MFCLBIN1"
#define FNV_OFFSET 1469598103934665603ULL

unsigned long long mf_hash64(const void *data, size_t len, unsigned long long h) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

const char *mf_cache_dir(char *buf, size_t cap) {
    const char *env = getenv("MONOFLOW_CACHE_DIR");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
        return buf;
    }
    env = getenv("XDG_CACHE_HOME");
    if (env && *env) {
        snprintf(buf, cap, "%s/monoflow", env);
        return buf;
    }
    env = getenv("HOME");
    if (env && *env) {
        snprintf(buf, cap, "%s/.cache/monoflow", env);
        return buf;
    }
    return NULL;
}

/* "OpenCL C 1.2 PoCL" -> 12 */
static int opencl_c_version(const char *s) {
    int major = 0, minor = 0;
    if (sscanf(s, "OpenCL C %d.%d", &major, &minor) != 2) return 0;
    return major * 10 + minor;
}

void mf_build_options(const mf_device_info *dev, const char *extra, char *buf, size_t cap) {
    int v = opencl_c_version(dev->opencl_c_version);
    /* kernels are written in OpenCL C 1.2; older compilers get no -cl-std at all */
    snprintf(buf, cap, "%s%s", v >= 12 ? "-cl-std=CL1.2 " : "", extra ? extra : "");
}

static void cache_key(const mf_device_info *dev, const char *opts, const char *src, size_t len,
                      char *key, size_t cap) {
    unsigned long long sh = mf_hash64(src, len, FNV_OFFSET);
    snprintf(key, cap, "monoflow-clbin-1\n%s\n%s\n%s\n%s\n%s\n%016llx\n", dev->name,
             dev->vendor, dev->driver_version, dev->platform_version, opts, sh);
}

/* Reads a cached binary for key; NULL when absent or not matching (a stale or corrupt file
 * is simply rebuilt and replaced). */
static unsigned char *cache_read(const char *path, const char *key, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *bin = NULL;
    char magic[8];
    uint32_t klen = 0;
    uint64_t blen = 0, sum = 0;
    size_t want = strlen(key);
    char *k = NULL;
    if (fread(magic, 1, 8, f) != 8 || memcmp(magic, CACHE_MAGIC, 8)) goto out;
    if (fread(&klen, 4, 1, f) != 1 || klen != want) goto out;
    k = malloc(klen);
    if (!k || fread(k, 1, klen, f) != klen || memcmp(k, key, klen)) goto out;
    if (fread(&blen, 8, 1, f) != 1 || blen == 0 || blen > (1ULL << 31)) goto out;
    bin = malloc(blen);
    if (!bin || fread(bin, 1, blen, f) != blen || fread(&sum, 8, 1, f) != 1 ||
        sum != mf_hash64(bin, blen, FNV_OFFSET)) {
        free(bin);
        bin = NULL;
        goto out;
    }
    *len = blen;
out:
    free(k);
    fclose(f);
    return bin;
}

/* header, key, binary, checksum: written whole under a temporary name, then renamed */
static int cache_write(const char *path, const char *key, const unsigned char *bin,
                       size_t blen) {
    uint32_t klen = (uint32_t)strlen(key);
    uint64_t bl = blen, sum = mf_hash64(bin, blen, FNV_OFFSET);
    size_t total = 8 + 4 + klen + 8 + blen + 8, at = 0;
    unsigned char *buf = malloc(total);
    if (!buf) return -1;
#define PUT(p, n) (memcpy(buf + at, (p), (n)), at += (n))
    PUT(CACHE_MAGIC, 8);
    PUT(&klen, 4);
    PUT(key, klen);
    PUT(&bl, 8);
    PUT(bin, blen);
    PUT(&sum, 8);
#undef PUT
    int rc = mf_write_bytes_atomic(path, buf, total) == MF_OK ? 0 : -1;
    free(buf);
    return rc;
}

static mf_status build_failed(cl_program prog, const mf_device_info *dev, cl_int err) {
    size_t len = 0;
    clGetProgramBuildInfo(prog, dev->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &len);
    char *log = malloc(len + 1);
    if (log) {
        log[0] = 0;
        clGetProgramBuildInfo(prog, dev->device, CL_PROGRAM_BUILD_LOG, len, log, NULL);
        log[len] = 0;
    }
    mf_status st = mf_fail(MF_ERR_BUILD, "OpenCL program failed to build on %s (%s); build log:\n%s",
                           dev->name, mf_cl_error_str(err), log ? log : "(none)");
    free(log);
    return st;
}

/* Reading the binary right after the build also makes PoCL compile a generic kernel. */
static unsigned char *program_binary(cl_program prog, size_t *len) {
    size_t sz = 0;
    if (clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, sizeof sz, &sz, NULL) != CL_SUCCESS ||
        sz == 0)
        return NULL;
    unsigned char *bin = malloc(sz);
    if (!bin) return NULL;
    if (clGetProgramInfo(prog, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL) != CL_SUCCESS) {
        free(bin);
        return NULL;
    }
    *len = sz;
    return bin;
}

static cl_program try_cached(cl_context ctx, const mf_device_info *dev, const char *opts,
                             const unsigned char *bin, size_t blen) {
    cl_int err, bin_status;
    cl_program p = clCreateProgramWithBinary(ctx, 1, &dev->device, &blen, &bin, &bin_status,
                                             &err);
    if (err != CL_SUCCESS) return NULL;
    if (bin_status != CL_SUCCESS || clBuildProgram(p, 1, &dev->device, opts, NULL, NULL)) {
        clReleaseProgram(p);
        return NULL;
    }
    return p;
}

mf_status mf_program_build(cl_context ctx, const mf_device_info *dev, const char *src,
                           size_t len, const char *extra_options, cl_program *out,
                           mf_build_info *info) {
    double t0 = mf_seconds();
    mf_build_info local;
    if (!info) info = &local;
    memset(info, 0, sizeof *info);
    char opts[512], key[1200], dir[400];
    mf_build_options(dev, extra_options, opts, sizeof opts);
    cache_key(dev, opts, src, len, key, sizeof key);
    if (mf_cache_dir(dir, sizeof dir) && mf_mkdirs(dir) == 0)
        snprintf(info->path, sizeof info->path, "%s/%016llx.clbin", dir,
                 mf_hash64(key, strlen(key), FNV_OFFSET));

    if (info->path[0]) {
        size_t blen = 0;
        unsigned char *bin = cache_read(info->path, key, &blen);
        cl_program p = bin ? try_cached(ctx, dev, opts, bin, blen) : NULL;
        free(bin);
        if (p) {
            info->from_cache = 1;
            info->seconds = mf_seconds() - t0;
            *out = p;
            return MF_OK;
        }
    }

    cl_int err;
    cl_program p = clCreateProgramWithSource(ctx, 1, &src, &len, &err);
    if (err != CL_SUCCESS)
        return mf_fail(MF_ERR_CL, "clCreateProgramWithSource: %s", mf_cl_error_str(err));
    err = clBuildProgram(p, 1, &dev->device, opts, NULL, NULL);
    if (err != CL_SUCCESS) {
        mf_status st = build_failed(p, dev, err);
        clReleaseProgram(p);
        return st;
    }
    size_t blen = 0;
    unsigned char *bin = program_binary(p, &blen);
    if (bin && info->path[0]) info->cache_written = cache_write(info->path, key, bin, blen) == 0;
    free(bin);
    info->seconds = mf_seconds() - t0;
    *out = p;
    return MF_OK;
}
