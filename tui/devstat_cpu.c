/* CPU (PoCL) status: utilisation from /proc/stat, temperature from the CPU's hwmon sensor,
 * clock from /proc/cpuinfo, memory from /proc/meminfo (PoCL's global memory is system RAM). */
#include "devstat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char stat[4096], cpuinfo[4096], meminfo[4096], temp[4096];  /* temp "": no sensor */
    unsigned long long prev_total, prev_busy;
    int have_prev, have_util;
    double util;
} cpu_state;

/* hwmon drivers that measure the CPU package or die (Intel, AMD, AMD alt., ARM SoCs). */
static int is_cpu_sensor(const char *hwmon_dir, void *ctx) {
    static const char *const names[] = {"coretemp", "k10temp", "zenpower", "cpu_thermal",
                                        "x86_pkg_temp"};
    char path[4200], name[64];
    snprintf(path, sizeof path, "%s/name", hwmon_dir);
    if (mfv_read_text(path, name, sizeof name) != 0) return 0;
    name[strcspn(name, "\n")] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) return 1;
    return 0;
}

static int set_path(char *out, size_t cap, const char *root, const char *rel) {
    int n = snprintf(out, cap, "%s%s", root, rel);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

static void *cpu_open(unsigned vendor_id, const char *name, const char *root, char *why,
                      size_t cap) {
    cpu_state *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    char hwmon[4096], dir[4096];
    if (set_path(c->stat, sizeof c->stat, root, "/proc/stat") ||
        set_path(c->cpuinfo, sizeof c->cpuinfo, root, "/proc/cpuinfo") ||
        set_path(c->meminfo, sizeof c->meminfo, root, "/proc/meminfo") ||
        set_path(dir, sizeof dir, root, "/sys/class/hwmon")) {
        snprintf(why, cap, "root path too long");
        free(c);
        return NULL;
    }
    if (mfv_find_numbered(dir, "hwmon", is_cpu_sensor, NULL, hwmon, sizeof hwmon) == 0)
        snprintf(c->temp, sizeof c->temp, "%.4000s/temp1_input", hwmon);
    if (!c->temp[0] && access(c->stat, R_OK) != 0 && access(c->cpuinfo, R_OK) != 0) {
        snprintf(why, cap, "neither %.80s nor a CPU hwmon sensor is readable", c->stat);
        free(c);
        return NULL;
    }
    return c;
}

/* The "cpu " aggregate line: user nice system idle iowait irq softirq steal (guest and
 * guest_nice follow but are already counted in user and nice, so they stay out of the total).
 * Waiting for I/O is idle time, not work. */
static int read_stat(const char *path, unsigned long long *total, unsigned long long *busy) {
    char buf[512];
    unsigned long long f[8] = {0};
    if (mfv_read_text(path, buf, sizeof buf) != 0 || strncmp(buf, "cpu ", 4) != 0) return -1;
    int n = sscanf(buf + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
                   &f[3], &f[4], &f[5], &f[6], &f[7]);
    if (n < 4) return -1;
    *total = 0;
    for (int i = 0; i < 8; i++) *total += f[i];
    *busy = *total - f[3] - f[4];
    return 0;
}

/* Utilisation needs two samples. When no tick passed in between (calls closer than a jiffy)
 * the last value stands and the baseline stays; when the counters went down (a CPU taken
 * offline leaves the aggregate) the baseline starts again. */
static void sample_util(cpu_state *c, mfv_devstat *out) {
    unsigned long long total, busy;
    if (read_stat(c->stat, &total, &busy) != 0) return;
    int restart = !c->have_prev || total < c->prev_total || busy < c->prev_busy;
    if (!restart && total > c->prev_total) {
        c->util = 100.0 * (double)(busy - c->prev_busy) / (double)(total - c->prev_total);
        c->have_util = 1;
    }
    if (restart || total > c->prev_total) {
        c->prev_total = total;
        c->prev_busy = busy;
        c->have_prev = 1;
    }
    out->util_valid = c->have_util;
    out->util_pct = c->util;
}

/* Mean of the "cpu MHz" lines (one per logical CPU on x86; absent on most ARM kernels). */
static void sample_clock(const char *path, mfv_devstat *out) {
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[256];
    double sum = 0, mhz;
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, "cpu MHz", 7) == 0 && colon && sscanf(colon + 1, "%lf", &mhz) == 1) {
            sum += mhz;
            n++;
        }
    }
    fclose(f);
    if (n) {
        out->clock_valid = 1;
        out->clock_mhz = sum / n;
    }
}

/* Used = MemTotal - MemAvailable, as free(1) counts it; both are in kB. */
static void sample_mem(const char *path, mfv_devstat *out) {
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[256];
    double total = -1, avail = -1, kb;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "MemTotal: %lf", &kb) == 1) total = kb;
        if (sscanf(line, "MemAvailable: %lf", &kb) == 1) avail = kb;
    }
    fclose(f);
    if (total >= 0 && avail >= 0) {
        out->mem_valid = 1;
        out->mem_total_bytes = total * 1024;
        out->mem_used_bytes = (total - avail) * 1024;
    }
}

static void cpu_sample(void *state, mfv_devstat *out) {
    cpu_state *c = state;
    double milli;
    sample_util(c, out);
    if (c->temp[0] && mfv_read_num(c->temp, &milli) == 0) {
        out->temp_valid = 1;
        out->temp_c = milli / 1000.0;
    }
    sample_clock(c->cpuinfo, out);
    sample_mem(c->meminfo, out);
}

static void cpu_close(void *state) { free(state); }

const mfv_devstat_backend mfv_devstat_cpu = {"/proc/stat + hwmon", cpu_open, cpu_sample,
                                             cpu_close};
