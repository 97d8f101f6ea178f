#include "monoflow/snapshot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "monoflow/files.h"

static const char magic[8] = "MFSNAP1";
enum { VERSION = 3 };

const char *mf_run_state_name(int state) {
    static const char *names[] = {"running", "paused", "finished", "stopped", "failed"};
    return state >= 0 && state <= MF_RUN_FAILED ? names[state] : "unknown";
}

void mf_snapshot_init(mf_snapshot *s) {
    memset(s, 0, sizeof *s);
    memcpy(s->magic, magic, sizeof magic);
    s->version = VERSION;
    s->size = sizeof *s;
    s->hist_stride = 1;
    s->ckpt_iter = -1;
}

/* keeps rows 0, 2, 4, ...: the history spans the whole run at half the density */
static void thin(mf_snapshot *s) {
    for (int i = 0; 2 * i < s->n_hist; i++) s->hist[i] = s->hist[2 * i];
    s->n_hist = (s->n_hist + 1) / 2;
    s->hist_stride *= 2;
}

void mf_snapshot_add_row(mf_snapshot *s, const mf_snap_row *r) {
    if (s->hist_seen++ % s->hist_stride) return;
    if (s->n_hist == MF_SNAP_HISTORY) {
        thin(s);
        if ((s->hist_seen - 1) % s->hist_stride) return;
    }
    s->hist[s->n_hist++] = *r;
}

static void range(const float *v, int n, float *lo, float *hi) {
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i])) continue;
        if (v[i] < *lo) *lo = v[i];
        if (v[i] > *hi) *hi = v[i];
    }
}

static void count(const float *v, int n, float lo, float hi, uint32_t *bins) {
    memset(bins, 0, MF_SNAP_BINS * sizeof *bins);
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i])) continue;
        int b = (int)((v[i] - lo) / (hi - lo) * MF_SNAP_BINS);
        bins[b < 0 ? 0 : b >= MF_SNAP_BINS ? MF_SNAP_BINS - 1 : b]++;
    }
}

void mf_snapshot_histograms(mf_snapshot *s, const float *d_real, int n_real,
                            const float *d_fake, int n_fake) {
    float lo = INFINITY, hi = -INFINITY;
    range(d_real, n_real, &lo, &hi);
    range(d_fake, n_fake, &lo, &hi);
    if (!(lo < hi)) { /* all equal, or nothing finite */
        lo = isfinite(lo) ? lo - 0.5f : -1;
        hi = lo + 1;
    }
    s->h_lo = lo;
    s->h_hi = hi;
    count(d_real, n_real, lo, hi, s->h_real);
    count(d_fake, n_fake, lo, hi, s->h_fake);
}

mf_status mf_snapshot_write(const mf_snapshot *s, const char *path) {
    return mf_write_bytes_atomic(path, s, sizeof *s);
}

mf_status mf_snapshot_read(const char *path, mf_snapshot *s) {
    FILE *f = fopen(path, "rb");
    if (!f) return mf_fail(MF_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    size_t got = fread(s, 1, sizeof *s, f);
    int extra = fgetc(f) != EOF;
    fclose(f);
    if (got != sizeof *s || extra || memcmp(s->magic, magic, sizeof magic) ||
        s->version != VERSION || s->size != sizeof *s)
        return mf_fail(MF_ERR_FORMAT,
                       "%s is not a snapshot this monoflow can read (written by another "
                       "version?): restart the viewer with the monoflow that trains the run",
                       path);
    s->run_dir[sizeof s->run_dir - 1] = s->data[sizeof s->data - 1] = 0;
    s->device[sizeof s->device - 1] = s->vendor[sizeof s->vendor - 1] = 0;
    s->message[sizeof s->message - 1] = s->mode[15] = s->h[15] = s->device_type[15] = 0;
    if (s->n_hist < 0 || s->n_hist > MF_SNAP_HISTORY) s->n_hist = 0;
    if (s->n_real < 0 || s->n_real > MF_SNAP_POINTS) s->n_real = 0;
    if (s->n_fake < 0 || s->n_fake > MF_SNAP_POINTS) s->n_fake = 0;
    return MF_OK;
}
