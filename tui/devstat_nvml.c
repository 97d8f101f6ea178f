/* NVIDIA GPU status through NVML, loaded at run time so that the viewer builds and runs
 * where the driver (and so libnvidia-ml) is not installed. The few NVML types are declared
 * here: no nvml.h is needed. */
#include "devstat.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef int nvmlReturn_t;  /* NVML_SUCCESS = 0 */
typedef struct nvmlDevice_st *nvmlDevice_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
enum { NVML_TEMPERATURE_GPU = 0, NVML_CLOCK_SM = 1, NVML_NAME_LEN = 96 };

typedef struct {
    void *lib;
    nvmlDevice_t dev;
    nvmlReturn_t (*shutdown)(void);
    nvmlReturn_t (*util)(nvmlDevice_t, nvmlUtilization_t *);
    nvmlReturn_t (*temp)(nvmlDevice_t, int, unsigned int *);
    nvmlReturn_t (*mem)(nvmlDevice_t, nvmlMemory_t *);
    nvmlReturn_t (*clock)(nvmlDevice_t, int, unsigned int *);
    nvmlReturn_t (*power)(nvmlDevice_t, unsigned int *);
} nvml_state;

/* Only needed while choosing the device. */
typedef struct {
    nvmlReturn_t (*init)(void);
    nvmlReturn_t (*count)(unsigned int *);
    nvmlReturn_t (*by_index)(unsigned int, nvmlDevice_t *);
    nvmlReturn_t (*name)(nvmlDevice_t, char *, unsigned int);
} nvml_setup;

/* dlsym returns void *; storing it through a void * lvalue is the form POSIX's dlsym page
 * gives for function pointers (a plain cast is not ISO C). */
#define LOAD(lib, dst, sym) (*(void **)&(dst) = dlsym((lib), (sym)), (dst) != NULL)

static int load_symbols(void *lib, nvml_setup *u, nvml_state *n) {
    return LOAD(lib, u->init, "nvmlInit_v2") && LOAD(lib, u->count, "nvmlDeviceGetCount_v2") &&
           LOAD(lib, u->by_index, "nvmlDeviceGetHandleByIndex_v2") &&
           LOAD(lib, u->name, "nvmlDeviceGetName") && LOAD(lib, n->shutdown, "nvmlShutdown") &&
           LOAD(lib, n->util, "nvmlDeviceGetUtilizationRates") &&
           LOAD(lib, n->temp, "nvmlDeviceGetTemperature") &&
           LOAD(lib, n->mem, "nvmlDeviceGetMemoryInfo") &&
           LOAD(lib, n->clock, "nvmlDeviceGetClockInfo") &&
           LOAD(lib, n->power, "nvmlDeviceGetPowerUsage");
}

static int contains_nocase(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    if (!n) return 0;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return 1;
    return 0;
}

/* By name: an exact match first, then one whose name contains the OpenCL name; else the only
 * device. Two cards of the same model both map to the first; matching by PCI bus
 * (cl_nv_device_attribute_query) would tell them apart. */
static int pick_device(const nvml_setup *u, const char *want, nvmlDevice_t *dev) {
    unsigned int count = 0;
    if (u->count(&count) != 0 || count == 0) return -1;
    for (int pass = 0; pass < 2; pass++)
        for (unsigned int i = 0; i < count; i++) {
            char name[NVML_NAME_LEN] = "";
            if (u->by_index(i, dev) != 0 || u->name(*dev, name, sizeof name) != 0) continue;
            if (pass == 0 ? strcmp(name, want) == 0 : contains_nocase(name, want)) return 0;
        }
    return count == 1 && u->by_index(0, dev) == 0 ? 0 : -1;
}

/* The driver installs the versioned name; the bare one exists only with the dev package. The
 * first error is the one worth showing. */
static void *open_lib(char *why, size_t cap) {
    void *lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib) return lib;
    const char *err = dlerror();
    snprintf(why, cap, "NVML not available: %.150s", err ? err : "libnvidia-ml.so.1 not found");
    return dlopen("libnvidia-ml.so", RTLD_NOW | RTLD_LOCAL);
}

static void *nvml_open(unsigned vendor_id, const char *name, const char *root, char *why,
                       size_t cap) {
    nvml_state *n = calloc(1, sizeof *n);
    nvml_setup u;
    if (!n) return NULL;
    n->lib = open_lib(why, cap);
    if (!n->lib) goto fail;
    if (!load_symbols(n->lib, &u, n)) {
        snprintf(why, cap, "NVML not available: the library lacks a needed function");
        goto fail;
    }
    if (u.init() != 0) {
        snprintf(why, cap, "NVML not available: nvmlInit failed (driver not loaded?)");
        goto fail;
    }
    if (pick_device(&u, name, &n->dev) != 0) {
        snprintf(why, cap, "no NVML device named \"%.80s\"", name);
        n->shutdown();
        goto fail;
    }
    return n;
fail:
    if (n->lib) dlclose(n->lib);
    free(n);
    return NULL;
}

/* Each field stands alone: a query a card does not support (power on some boards) leaves
 * only that field n/a. */
static void nvml_sample(void *state, mfv_devstat *out) {
    nvml_state *n = state;
    nvmlUtilization_t u;
    nvmlMemory_t m;
    unsigned int v;
    if (n->util(n->dev, &u) == 0) {
        out->util_valid = 1;
        out->util_pct = u.gpu;
    }
    if (n->temp(n->dev, NVML_TEMPERATURE_GPU, &v) == 0) {
        out->temp_valid = 1;
        out->temp_c = v;
    }
    if (n->mem(n->dev, &m) == 0) {
        out->mem_valid = 1;
        out->mem_used_bytes = (double)m.used;
        out->mem_total_bytes = (double)m.total;
    }
    if (n->clock(n->dev, NVML_CLOCK_SM, &v) == 0) {
        out->clock_valid = 1;
        out->clock_mhz = v;
    }
    if (n->power(n->dev, &v) == 0) {  /* milliwatts */
        out->power_valid = 1;
        out->power_w = v / 1000.0;
    }
}

static void nvml_close(void *state) {
    nvml_state *n = state;
    n->shutdown();
    dlclose(n->lib);
    free(n);
}

const mfv_devstat_backend mfv_devstat_nvml = {"nvml", nvml_open, nvml_sample, nvml_close};
