/* Device status back-ends against fake /proc and /sys trees built under a temporary directory:
 * exact values read, missing files as n/a fields, and NVML absent as a clean "none". Needs no
 * OpenCL, so it keeps a local CHECK (test_util.h pulls in the OpenCL headers). */
#define _XOPEN_SOURCE 700 /* nftw, to remove the fake trees */
#include "../tui/devstat.h"

#include <dlfcn.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static char base[64];

/* Writes base/root/rel, making the directories on the way. */
static void put(const char *root, const char *rel, const char *text) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", base, root, rel);
    for (char *p = path + strlen(base) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) fprintf(stderr, "mkdir %s failed\n", path);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static const char *root_of(const char *root) {
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", base, root);
    return path;
}

static int all_invalid(const mfv_devstat *d) {
    return !d->util_valid && !d->temp_valid && !d->mem_valid && !d->clock_valid &&
           !d->power_valid;
}

/* proc/stat changes between two samples; guest fields (the last two) must not count. */
static void test_cpu(void) {
    put("cpu", "proc/stat", "cpu  100 20 30 400 50 6 7 8 90 10\ncpu0 1 2 3 4 5 6 7 8 9 10\n");
    put("cpu", "proc/cpuinfo", "processor\t: 0\ncpu MHz\t\t: 3000.000\nprocessor\t: 1\n"
                               "cpu MHz\t\t: 3500.500\n");
    put("cpu", "proc/meminfo", "MemTotal:       16000000 kB\nMemFree:         2000000 kB\n"
                               "MemAvailable:   12000000 kB\n");
    put("cpu", "sys/class/hwmon/hwmon0/name", "acpitz\n");
    put("cpu", "sys/class/hwmon/hwmon0/temp1_input", "27800\n");
    put("cpu", "sys/class/hwmon/hwmon3/name", "k10temp\n");
    put("cpu", "sys/class/hwmon/hwmon3/temp1_input", "47250\n");
    put("cpu", "sys/class/hwmon/hwmon12/name", "coretemp\n");  /* higher number: not chosen */
    put("cpu", "sys/class/hwmon/hwmon12/temp1_input", "99000\n");

    mfv_devstat_src *s = mfv_devstat_open(MFV_DEV_CPU, 0x1002, "AMD Ryzen", root_of("cpu"));
    mfv_devstat d;
    mfv_devstat_sample(s, &d);
    CHECK(strcmp(d.source, "/proc/stat + hwmon") == 0, "source %s", d.source);
    CHECK(strcmp(mfv_devstat_note(s), "") == 0, "note %s", mfv_devstat_note(s));
    CHECK(!d.util_valid, "first sample has no utilisation yet");
    CHECK(d.temp_valid, "temperature from k10temp");
    CHECK_NEAR(d.temp_c, 47.25, 1e-12);
    CHECK(d.clock_valid, "clock from cpuinfo");
    CHECK_NEAR(d.clock_mhz, 3250.25, 1e-9);
    CHECK(d.mem_valid, "memory from meminfo");
    CHECK_NEAR(d.mem_total_bytes, 16000000.0 * 1024, 0);
    CHECK_NEAR(d.mem_used_bytes, 4000000.0 * 1024, 0);
    CHECK(!d.power_valid, "no power source for a CPU");

    /* total 621 -> 760, busy (total - idle - iowait) 171 -> 260 */
    put("cpu", "proc/stat", "cpu  160 25 50 440 60 8 9 8 500 70\n");
    mfv_devstat_sample(s, &d);
    CHECK(d.util_valid, "second sample has utilisation");
    CHECK_NEAR(d.util_pct, 100.0 * 89 / 139, 1e-9);

    mfv_devstat_sample(s, &d);  /* no tick in between: the last value stands */
    CHECK(d.util_valid, "utilisation kept without a new tick");
    CHECK_NEAR(d.util_pct, 100.0 * 89 / 139, 1e-9);
    mfv_devstat_close(s);
}

/* Only proc/stat: the rest is n/a, not an error. */
static void test_cpu_sparse(void) {
    put("cpu-sparse", "proc/stat", "cpu  1 0 1 10 0 0 0 0 0 0\n");
    mfv_devstat_src *s = mfv_devstat_open(MFV_DEV_CPU, 0x8086, "cpu", root_of("cpu-sparse"));
    mfv_devstat d;
    mfv_devstat_sample(s, &d);
    mfv_devstat_sample(s, &d);
    CHECK(strcmp(d.source, "/proc/stat + hwmon") == 0, "source %s", d.source);
    CHECK(all_invalid(&d), "no tick, no sensor, no cpuinfo, no meminfo: all n/a");

    put("cpu-sparse", "proc/stat", "cpu  4 0 1 11 0 0 0 0 0 0\n");  /* 3 busy of 4 */
    mfv_devstat_sample(s, &d);
    CHECK(d.util_valid && !d.temp_valid && !d.clock_valid && !d.mem_valid,
          "utilisation only");
    CHECK_NEAR(d.util_pct, 75.0, 1e-9);

    /* counters went down: the last value stands, the next delta counts from the new base */
    put("cpu-sparse", "proc/stat", "cpu  2 0 0 8 0 0 0 0 0 0\n");
    mfv_devstat_sample(s, &d);
    CHECK(d.util_valid, "utilisation kept across a counter drop");
    CHECK_NEAR(d.util_pct, 75.0, 1e-9);
    put("cpu-sparse", "proc/stat", "cpu  3 0 0 11 0 0 0 0 0 0\n");  /* 1 busy of 4 */
    mfv_devstat_sample(s, &d);
    CHECK_NEAR(d.util_pct, 25.0, 1e-9);
    mfv_devstat_close(s);
}

static void test_amdgpu(void) {
    put("amd", "sys/class/drm/card0/device/vendor", "0x10de\n");  /* not AMD: skipped */
    put("amd", "sys/class/drm/card0-DP-1/status", "connected\n");  /* a connector */
    put("amd", "sys/class/drm/card1/device/vendor", "0x1002\n");
    put("amd", "sys/class/drm/card1/device/gpu_busy_percent", "63\n");
    put("amd", "sys/class/drm/card1/device/mem_info_vram_used", "1073741824\n");
    put("amd", "sys/class/drm/card1/device/mem_info_vram_total", "17163091968\n");
    put("amd", "sys/class/drm/card1/device/hwmon/hwmon4/temp1_input", "52000\n");
    put("amd", "sys/class/drm/card1/device/hwmon/hwmon4/power1_average", "123456789\n");
    put("amd", "sys/class/drm/card1/device/hwmon/hwmon4/freq1_input", "2100000000\n");

    mfv_devstat_src *s = mfv_devstat_open(MFV_DEV_GPU, 0x1002, "gfx1100", root_of("amd"));
    mfv_devstat d;
    mfv_devstat_sample(s, &d);
    CHECK(strcmp(d.source, "amdgpu sysfs") == 0, "source %s", d.source);
    CHECK(d.util_valid, "gpu_busy_percent");
    CHECK_NEAR(d.util_pct, 63.0, 0);
    CHECK(d.mem_valid, "vram");
    CHECK_NEAR(d.mem_used_bytes, 1073741824.0, 0);
    CHECK_NEAR(d.mem_total_bytes, 17163091968.0, 0);
    CHECK(d.temp_valid, "hwmon temp1_input");
    CHECK_NEAR(d.temp_c, 52.0, 1e-12);
    CHECK(d.power_valid, "hwmon power1_average");
    CHECK_NEAR(d.power_w, 123.456789, 1e-9);
    CHECK(d.clock_valid, "hwmon freq1_input");
    CHECK_NEAR(d.clock_mhz, 2100.0, 1e-9);
    mfv_devstat_close(s);
}

/* An AMD card with nothing but its vendor file; then a tree with no card at all. */
static void test_amdgpu_missing(void) {
    put("amd-bare", "sys/class/drm/card0/device/vendor", "0x1002\n");
    mfv_devstat_src *s = mfv_devstat_open(MFV_DEV_GPU, 0x1002, "gfx90a", root_of("amd-bare"));
    mfv_devstat d;
    mfv_devstat_sample(s, &d);
    CHECK(strcmp(d.source, "amdgpu sysfs") == 0, "source %s", d.source);
    CHECK(all_invalid(&d), "bare card: all n/a");
    mfv_devstat_close(s);

    s = mfv_devstat_open(MFV_DEV_GPU, 0x1002, "gfx90a", root_of("empty"));
    mfv_devstat_sample(s, &d);
    CHECK(strcmp(d.source, "none") == 0, "source %s", d.source);
    CHECK(all_invalid(&d), "no card: all n/a");
    CHECK(strstr(mfv_devstat_note(s), "no amdgpu card"), "note %s", mfv_devstat_note(s));
    mfv_devstat_close(s);
}

/* The library is absent on the CI machines; where it is present, the sample must still be sane. */
static void test_nvml(void) {
    void *lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("libnvidia-ml.so", RTLD_NOW | RTLD_LOCAL);
    mfv_devstat_src *s = mfv_devstat_open(MFV_DEV_GPU, 0x10DE, "NVIDIA H200", "");
    mfv_devstat d;
    mfv_devstat_sample(s, &d);
    if (!lib) {
        CHECK(strcmp(d.source, "none") == 0, "source %s", d.source);
        CHECK(all_invalid(&d), "no NVML: all n/a");
        CHECK(strncmp(mfv_devstat_note(s), "NVML not available", 18) == 0, "note %s",
              mfv_devstat_note(s));
    } else {
        printf("NVML present: source %s, util %d %.0f%%, mem %d %.3g/%.3g B (%s)\n", d.source,
               d.util_valid, d.util_pct, d.mem_valid, d.mem_used_bytes, d.mem_total_bytes,
               mfv_devstat_note(s));
        CHECK(!d.util_valid || (d.util_pct >= 0 && d.util_pct <= 100), "util %g", d.util_pct);
        CHECK(!d.mem_valid || d.mem_used_bytes <= d.mem_total_bytes, "mem used <= total");
        dlclose(lib);
    }
    mfv_devstat_close(s);
}

/* Choice by kind, then vendor: no back-end gives a clean "none". */
static void test_dispatch(void) {
    const struct { int kind; unsigned vendor; const char *note; } cases[] = {
        {MFV_DEV_GPU, 0x8086, "perf counters"},
        {MFV_DEV_OTHER, 0x10DE, "no status source"},
        {MFV_DEV_CPU, 0x1002, "readable"},  /* empty root: nothing to read */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mfv_devstat_src *s =
            mfv_devstat_open(cases[i].kind, cases[i].vendor, NULL, root_of("empty"));
        mfv_devstat d;
        mfv_devstat_sample(s, &d);
        CHECK(strcmp(d.source, "none") == 0 && all_invalid(&d), "case %zu: source %s", i,
              d.source);
        CHECK(strstr(mfv_devstat_note(s), cases[i].note), "case %zu: note %s", i,
              mfv_devstat_note(s));
        mfv_devstat_close(s);
    }
    mfv_devstat d;
    mfv_devstat_sample(NULL, &d);  /* what open returns when out of memory */
    CHECK(strcmp(d.source, "none") == 0 && all_invalid(&d), "NULL source");
    mfv_devstat_close(NULL);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    return remove(path);
}

int main(void) {
    snprintf(base, sizeof base, "%s/mfv-devstat-XXXXXX", "/tmp");
    if (!mkdtemp(base)) {
        fprintf(stderr, "mkdtemp failed: %s\n", strerror(errno));
        return 1;
    }
    put("empty", ".keep", "");
    test_cpu();
    test_cpu_sparse();
    test_amdgpu();
    test_amdgpu_missing();
    test_nvml();
    test_dispatch();
    nftw(base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return test_finish("test_devstat");
}
