/* Picks one status back-end per device, and the file helpers the back-ends share. */
#include "devstat.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mfv_devstat_src {
    const mfv_devstat_backend *be;  /* NULL: source "none" */
    void *state;
    char note[192];
};

/* Chosen by kind first: a PoCL CPU device reports whatever vendor id the CPU has (often
 * 0x1002 or 0x8086), so the vendor only tells GPUs apart. */
static const mfv_devstat_backend *backend_for(int kind, unsigned vendor_id, char *why,
                                              size_t cap) {
    if (kind == MFV_DEV_CPU) return &mfv_devstat_cpu;
    if (kind == MFV_DEV_GPU && vendor_id == 0x10DE) return &mfv_devstat_nvml;
    if (kind == MFV_DEV_GPU && vendor_id == 0x1002) return &mfv_devstat_amdgpu;
    if (kind == MFV_DEV_GPU && vendor_id == 0x8086)
        /* i915/xe give utilisation only through perf PMU counters (CAP_PERFMON) or DRM fdinfo
         * of the process that owns the context; neither is a cheap file read. */
        snprintf(why, cap, "Intel GPU: utilisation needs perf counters; not read");
    else
        snprintf(why, cap, "no status source for this device (kind %d, vendor 0x%04X)", kind,
                 vendor_id);
    return NULL;
}

mfv_devstat_src *mfv_devstat_open(int kind, unsigned vendor_id, const char *name,
                                  const char *root) {
    mfv_devstat_src *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    const mfv_devstat_backend *be = backend_for(kind, vendor_id, s->note, sizeof s->note);
    if (be) s->state = be->open(vendor_id, name ? name : "", root ? root : "", s->note,
                                sizeof s->note);
    if (s->state) {
        s->be = be;
        s->note[0] = '\0';
    }
    return s;
}

void mfv_devstat_sample(mfv_devstat_src *s, mfv_devstat *out) {
    memset(out, 0, sizeof *out);
    snprintf(out->source, sizeof out->source, "%s", s && s->be ? s->be->source : "none");
    if (s && s->be) s->be->sample(s->state, out);
}

const char *mfv_devstat_note(const mfv_devstat_src *s) {
    return s ? s->note : "out of memory";
}

void mfv_devstat_close(mfv_devstat_src *s) {
    if (!s) return;
    if (s->be) s->be->close(s->state);
    free(s);
}

int mfv_read_text(const char *path, char *buf, size_t cap) {
    FILE *f = cap ? fopen(path, "r") : NULL;
    if (!f) return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    int err = ferror(f);
    fclose(f);
    buf[n] = '\0';
    return err ? -1 : 0;
}

int mfv_read_num(const char *path, double *v) {
    char buf[64], *end;
    if (mfv_read_text(path, buf, sizeof buf) != 0) return -1;
    double x = strtod(buf, &end);
    if (end == buf) return -1;  /* empty or not a number: treat as absent */
    *v = x;
    return 0;
}

/* "<prefix><digits>" exactly (so "card0" but not the connector "card0-DP-1"); -1 otherwise. */
static long entry_number(const char *entry, const char *prefix) {
    size_t n = strlen(prefix);
    if (strncmp(entry, prefix, n) != 0 || !entry[n]) return -1;
    for (const char *p = entry + n; *p; p++)
        if (!isdigit((unsigned char)*p)) return -1;
    return strtol(entry + n, NULL, 10);
}

/* readdir order is arbitrary; the lowest number makes the choice stable across runs. */
int mfv_find_numbered(const char *dir, const char *prefix, int (*ok)(const char *path, void *ctx),
                      void *ctx, char *out, size_t cap) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    long best = -1;
    char path[4096];
    for (struct dirent *e; (e = readdir(d));) {
        long k = entry_number(e->d_name, prefix);
        if (k < 0 || (best >= 0 && k >= best)) continue;
        int len = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t)len >= sizeof path || (size_t)len >= cap) continue;
        if (ok && !ok(path, ctx)) continue;
        best = k;
        memcpy(out, path, (size_t)len + 1);
    }
    closedir(d);
    return best >= 0 ? 0 : -1;
}
