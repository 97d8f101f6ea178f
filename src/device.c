#include "monoflow/device.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLATFORMS 16
#define MAX_DEVICES 64

static const char *install_hint =
    "install an OpenCL driver, e.g. `apt-get install pocl-opencl-icd` for the CPU, "
    "or your GPU vendor's OpenCL ICD";

const char *mf_device_type_str(cl_device_type t) {
    if (t & CL_DEVICE_TYPE_GPU) return "gpu";
    if (t & CL_DEVICE_TYPE_CPU) return "cpu";
    if (t & CL_DEVICE_TYPE_ACCELERATOR) return "accelerator";
    return "other";
}

static void device_str(cl_device_id d, cl_device_info what, char *buf, size_t cap) {
    buf[0] = 0;
    if (clGetDeviceInfo(d, what, cap, buf, NULL) != CL_SUCCESS) snprintf(buf, cap, "?");
    buf[cap - 1] = 0;
}

static void fill_info(cl_platform_id p, cl_device_id d, int index, mf_device_info *o) {
    memset(o, 0, sizeof *o);
    o->index = index;
    o->platform = p;
    o->device = d;
    clGetPlatformInfo(p, CL_PLATFORM_NAME, sizeof o->platform_name, o->platform_name, NULL);
    clGetPlatformInfo(p, CL_PLATFORM_VERSION, sizeof o->platform_version, o->platform_version,
                      NULL);
    device_str(d, CL_DEVICE_NAME, o->name, sizeof o->name);
    device_str(d, CL_DEVICE_VENDOR, o->vendor, sizeof o->vendor);
    device_str(d, CL_DRIVER_VERSION, o->driver_version, sizeof o->driver_version);
    device_str(d, CL_DEVICE_OPENCL_C_VERSION, o->opencl_c_version, sizeof o->opencl_c_version);
    clGetDeviceInfo(d, CL_DEVICE_TYPE, sizeof o->type, &o->type, NULL);
    clGetDeviceInfo(d, CL_DEVICE_VENDOR_ID, sizeof o->vendor_id, &o->vendor_id, NULL);
    clGetDeviceInfo(d, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof o->compute_units, &o->compute_units,
                    NULL);
    clGetDeviceInfo(d, CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof o->max_clock_mhz,
                    &o->max_clock_mhz, NULL);
    clGetDeviceInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof o->global_mem, &o->global_mem, NULL);
    clGetDeviceInfo(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof o->max_alloc, &o->max_alloc, NULL);
    clGetDeviceInfo(d, CL_DEVICE_LOCAL_MEM_SIZE, sizeof o->local_mem, &o->local_mem, NULL);
    clGetDeviceInfo(d, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof o->max_work_group,
                    &o->max_work_group, NULL);
    size_t len = 0;
    if (clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, 0, NULL, &len) == CL_SUCCESS && len) {
        char *ext = malloc(len + 1);
        if (ext && clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, len, ext, NULL) == CL_SUCCESS) {
            ext[len] = 0;
            o->fp16 = strstr(ext, "cl_khr_fp16") != NULL;
            o->fp64 = strstr(ext, "cl_khr_fp64") != NULL;
        }
        free(ext);
    }
}

mf_status mf_devices_list(mf_device_info *out, int cap, int *n) {
    cl_platform_id plats[MAX_PLATFORMS];
    cl_uint np = 0;
    *n = 0;
    cl_int err = clGetPlatformIDs(MAX_PLATFORMS, plats, &np);
    if (err == CL_PLATFORM_NOT_FOUND_KHR || (err == CL_SUCCESS && np == 0))
        return mf_fail(MF_ERR_NO_PLATFORM, "no OpenCL platform found: %s", install_hint);
    if (err != CL_SUCCESS)
        return mf_fail(MF_ERR_CL, "clGetPlatformIDs failed (%s): %s", mf_cl_error_str(err),
                       install_hint);
    for (cl_uint p = 0; p < np && *n < cap; p++) {
        cl_device_id devs[MAX_DEVICES];
        cl_uint nd = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, MAX_DEVICES, devs, &nd) != CL_SUCCESS)
            continue; /* a platform without devices is not an error by itself */
        for (cl_uint d = 0; d < nd && *n < cap; d++) {
            fill_info(plats[p], devs[d], *n, &out[*n]);
            (*n)++;
        }
    }
    if (*n == 0)
        return mf_fail(MF_ERR_NO_DEVICE, "%u OpenCL platform(s) found but no device: %s", np,
                       install_hint);
    return MF_OK;
}

static int contains_nocase(const char *hay, const char *needle) {
    size_t nl = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < nl && hay[i] && tolower((unsigned char)hay[i]) ==
                                        tolower((unsigned char)needle[i]))
            i++;
        if (i == nl) return 1;
    }
    return nl == 0;
}

static int is_index(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

static int first_of_type(const mf_device_info *d, int n, cl_device_type t) {
    for (int i = 0; i < n; i++)
        if (d[i].type & t) return i;
    return -1;
}

mf_status mf_device_select(const char *spec, mf_device_info *out) {
    mf_device_info devs[MAX_DEVICES];
    int n = 0;
    mf_status st = mf_devices_list(devs, MAX_DEVICES, &n);
    if (st != MF_OK) return st;
    int pick = -1;
    if (!spec || !*spec) {
        pick = first_of_type(devs, n, CL_DEVICE_TYPE_GPU);
        if (pick < 0) pick = first_of_type(devs, n, CL_DEVICE_TYPE_CPU);
        if (pick < 0) pick = 0;
    } else if (is_index(spec)) {
        long i = strtol(spec, NULL, 10);
        if (strlen(spec) > 6 || i >= n)
            return mf_fail(MF_ERR_NO_DEVICE,
                           "device index %s is out of range: %d device(s) found (0..%d); "
                           "run `monoflow devices` to list them",
                           spec, n, n - 1);
        pick = (int)i;
    } else if (!strcmp(spec, "gpu") || !strcmp(spec, "cpu") || !strcmp(spec, "accelerator")) {
        cl_device_type t = spec[0] == 'g'   ? CL_DEVICE_TYPE_GPU
                           : spec[0] == 'c' ? CL_DEVICE_TYPE_CPU
                                            : CL_DEVICE_TYPE_ACCELERATOR;
        pick = first_of_type(devs, n, t);
        if (pick < 0)
            return mf_fail(MF_ERR_NO_DEVICE,
                           "no OpenCL device of type %s found among %d device(s); run "
                           "`monoflow devices` to list them, or %s",
                           spec, n, install_hint);
    } else {
        for (int i = 0; i < n && pick < 0; i++)
            if (contains_nocase(devs[i].name, spec) || contains_nocase(devs[i].vendor, spec) ||
                contains_nocase(devs[i].platform_name, spec))
                pick = i;
        if (pick < 0)
            return mf_fail(MF_ERR_NO_DEVICE,
                           "no OpenCL device matches '%s' (by name, vendor or platform) among "
                           "%d device(s); run `monoflow devices` to list them, then pass an "
                           "index, a name, gpu or cpu",
                           spec, n);
    }
    *out = devs[pick];
    return MF_OK;
}

const char *mf_device_spec(const char *flag_value) {
    if (flag_value && *flag_value) return flag_value;
    const char *env = getenv("MONOFLOW_DEVICE");
    return env && *env ? env : NULL;
}
