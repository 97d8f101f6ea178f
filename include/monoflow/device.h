/* OpenCL devices: enumerate every platform's devices and pick one the way a user asks. */
#ifndef MONOFLOW_DEVICE_H
#define MONOFLOW_DEVICE_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>
#include <CL/cl_ext.h>
#include <stddef.h>

#include "monoflow/status.h"

typedef struct {
    int index;                 /* global index, as `monoflow devices` lists it */
    cl_platform_id platform;
    cl_device_id device;
    char platform_name[128];
    char platform_version[128];
    char name[128];
    char vendor[128];
    char driver_version[64];
    char opencl_c_version[64];
    cl_device_type type;
    cl_uint vendor_id;
    cl_uint compute_units;
    cl_uint max_clock_mhz;
    cl_ulong global_mem;
    cl_ulong max_alloc;
    cl_ulong local_mem;
    size_t max_work_group;
    int fp16, fp64;
} mf_device_info;

/* Fills out[0..*n) with every device of every platform, up to cap.
 * MF_ERR_NO_PLATFORM when no ICD is installed, MF_ERR_NO_DEVICE when platforms have none. */
mf_status mf_devices_list(mf_device_info *out, int cap, int *n);

/* Picks one device by spec: NULL or "" = the first GPU, else the first CPU, else any;
 * "N" = global index; "gpu" / "cpu" / "accelerator" = first of that type; anything else =
 * case-insensitive substring of the device name, vendor or platform name. */
mf_status mf_device_select(const char *spec, mf_device_info *out);

/* The spec from --device when given, else $MONOFLOW_DEVICE, else NULL (the default). */
const char *mf_device_spec(const char *flag_value);

const char *mf_device_type_str(cl_device_type t);

#endif
