/* AMD GPU status from the amdgpu driver's sysfs files (what nvtop and radeontop read). */
#include "devstat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char dev[4096];    /* ROOT/sys/class/drm/cardN/device */
    char hwmon[4096];  /* its hwmon/hwmonM, "" when the driver exposes none */
} amd_state;

static int is_amd_card(const char *card_dir, void *ctx) {
    char path[4200], buf[32];
    snprintf(path, sizeof path, "%s/device/vendor", card_dir);
    return mfv_read_text(path, buf, sizeof buf) == 0 && strtoul(buf, NULL, 16) == 0x1002;
}

/* One file under dir; -1 when missing or unreadable, so that field stays n/a. */
static int read_in(const char *dir, const char *file, double *v) {
    char path[4200];
    if (!dir[0]) return -1;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return mfv_read_num(path, v);
}

/* The first amdgpu card: the OpenCL name ("gfx1100") does not appear in sysfs, so with
 * several AMD GPUs this is card order, not a match. */
static void *amd_open(unsigned vendor_id, const char *name, const char *root, char *why,
                      size_t cap) {
    char drm[4096], card[4096], dir[4200];
    int n = snprintf(drm, sizeof drm, "%s/sys/class/drm", root);
    if (n < 0 || (size_t)n >= sizeof drm ||
        mfv_find_numbered(drm, "card", is_amd_card, NULL, card, sizeof card) != 0) {
        snprintf(why, cap, "no amdgpu card (vendor 0x1002) under %.100s", drm);
        return NULL;
    }
    amd_state *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    snprintf(a->dev, sizeof a->dev, "%.4080s/device", card);
    snprintf(dir, sizeof dir, "%s/hwmon", a->dev);
    if (mfv_find_numbered(dir, "hwmon", NULL, NULL, a->hwmon, sizeof a->hwmon) != 0)
        a->hwmon[0] = '\0';
    return a;
}

static void amd_sample(void *state, mfv_devstat *out) {
    amd_state *a = state;
    double v, used, total;
    if (read_in(a->dev, "gpu_busy_percent", &v) == 0) {
        out->util_valid = 1;
        out->util_pct = v;
    }
    if (read_in(a->dev, "mem_info_vram_used", &used) == 0 &&
        read_in(a->dev, "mem_info_vram_total", &total) == 0) {
        out->mem_valid = 1;
        out->mem_used_bytes = used;
        out->mem_total_bytes = total;
    }
    if (read_in(a->hwmon, "temp1_input", &v) == 0) {  /* millidegrees, the edge sensor */
        out->temp_valid = 1;
        out->temp_c = v / 1000.0;
    }
    /* microwatts; newer kernels (6.x, RDNA3) give power1_input instead of power1_average */
    if (read_in(a->hwmon, "power1_average", &v) == 0 ||
        read_in(a->hwmon, "power1_input", &v) == 0) {
        out->power_valid = 1;
        out->power_w = v / 1e6;
    }
    if (read_in(a->hwmon, "freq1_input", &v) == 0) {  /* shader clock (sclk) in Hz */
        out->clock_valid = 1;
        out->clock_mhz = v / 1e6;
    }
}

static void amd_close(void *state) { free(state); }

const mfv_devstat_backend mfv_devstat_amdgpu = {"amdgpu sysfs", amd_open, amd_sample, amd_close};
