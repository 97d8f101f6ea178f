/* Device status for the viewer: utilisation, temperature, memory, clock and power of the
 * device a run trains on. OpenCL has no query for any of these, so each comes from the
 * vendor's own source (NVML, amdgpu sysfs, /proc and hwmon), one back-end per file, chosen
 * once per device (nvtop's extract split). No drawing here, and nothing here touches OpenCL. */
#ifndef MFV_DEVSTAT_H
#define MFV_DEVSTAT_H

#include <stddef.h>

typedef struct {
    int util_valid;  double util_pct;      /* device busy %, 0..100 */
    int temp_valid;  double temp_c;
    int mem_valid;   double mem_used_bytes, mem_total_bytes;   /* whole device, all processes */
    int clock_valid; double clock_mhz;
    int power_valid; double power_w;
    char source[32];  /* "nvml", "amdgpu sysfs", "/proc/stat + hwmon", or "none" */
} mfv_devstat;

enum { MFV_DEV_CPU = 0, MFV_DEV_GPU = 1, MFV_DEV_OTHER = 2 };

typedef struct mfv_devstat_src mfv_devstat_src;  /* opaque; one back-end chosen per device */

/* kind: 0 CPU, 1 GPU, 2 other; vendor_id: CL_DEVICE_VENDOR_ID (0x10DE NVIDIA, 0x1002 AMD,
 * 0x8086 Intel); name: the OpenCL device name. root: "" (or NULL) for the real system, or a
 * directory holding proc/ and sys/ (tests). Never fails: with nothing readable it returns a
 * source whose sample gives all fields invalid and source "none" (NULL only when out of
 * memory, which mfv_devstat_sample and _close accept as such a source). */
mfv_devstat_src *mfv_devstat_open(int kind, unsigned vendor_id, const char *name, const char *root);
/* Fills *out; cheap (a few file reads or NVML calls); safe to call from one thread at a time. */
void mfv_devstat_sample(mfv_devstat_src *s, mfv_devstat *out);
/* Why the source is "none" (e.g. "NVML not available: libnvidia-ml.so.1: cannot open ..."),
 * for a status line; "" when a back-end was found. */
const char *mfv_devstat_note(const mfv_devstat_src *s);
void mfv_devstat_close(mfv_devstat_src *s);

/* ---- back-end side: used by devstat*.c only ---- */

/* One status source. open returns its state, or NULL with the reason in why when the source
 * is not on this machine; sample fills only the fields it can read (out arrives zeroed). */
typedef struct {
    const char *source;
    void *(*open)(unsigned vendor_id, const char *name, const char *root, char *why, size_t cap);
    void (*sample)(void *state, mfv_devstat *out);
    void (*close)(void *state);
} mfv_devstat_backend;

extern const mfv_devstat_backend mfv_devstat_nvml, mfv_devstat_amdgpu, mfv_devstat_cpu;

/* Small helpers the back-ends share (devstat.c). Both return 0 on success, -1 otherwise. */
int mfv_read_text(const char *path, char *buf, size_t cap);  /* whole file, NUL-terminated */
int mfv_read_num(const char *path, double *v);               /* first number in the file */
/* Finds the lowest-numbered entry "<prefix><digits>" of dir for which ok(path, ctx) holds (ok
 * NULL: any) and writes its path to out. */
int mfv_find_numbered(const char *dir, const char *prefix, int (*ok)(const char *path, void *ctx),
                      void *ctx, char *out, size_t cap);

#endif
