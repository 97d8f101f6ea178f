#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int x, y, w, h;
} box;

static box inner(mfv_rect r) {
    box b = {r.x + 1, r.y + 1, r.w - 2, r.h - 2};
    return b;
}

void mfv_bytes(double b, char *out, int cap) {
    const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (b >= 1024 && i < 4) {
        b /= 1024;
        i++;
    }
    snprintf(out, (size_t)cap, i ? "%.1f %s" : "%.0f %s", b, u[i]);
}

void mfv_duration(double sec, char *out, int cap) {
    long s = sec > 0 && sec < 1e9 ? (long)(sec + 0.5) : 0;
    if (s >= 3600)
        snprintf(out, (size_t)cap, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, (size_t)cap, "%ld:%02ld", s / 60, s % 60);
}

static const char *state_text(const mf_snapshot *s, const mfv_view *v) {
    if (v->trainer_gone) return "TRAINER GONE";
    switch (s->state) {
    case MF_RUN_RUNNING: return "RUNNING";
    case MF_RUN_PAUSED: return "PAUSED";
    case MF_RUN_FINISHED: return "FINISHED";
    case MF_RUN_STOPPED: return "STOPPED";
    default: return "FAILED";
    }
}

/* the run line; what matters least goes first when the terminal is narrow */
static void header(mfv_canvas *c, mfv_rect r, const mf_snapshot *s, const mfv_view *v) {
    char el[32], eta[32], run[256], prog[160], line[512];
    mfv_duration(s->elapsed, el, sizeof el);
    double left = s->it_per_s > 0 ? (double)(s->iters - s->iter) / s->it_per_s : 0;
    mfv_duration(s->state == MF_RUN_RUNNING ? left : 0, eta, sizeof eta);
    int n = snprintf(run, sizeof run, "%s %s h=%s", s->data, s->mode, s->h);
    /* one-step has no push step */
    if (strcmp(s->mode, "one-step"))
        n += snprintf(run + n, sizeof run - n, " %s=%.3g", c->ascii ? "eps" : "\xce\xb5",
                      s->eps);
    if (!strcmp(s->mode, "fit")) n += snprintf(run + n, sizeof run - n, " K=%d", s->k);
    /* the pictures come from the averaged generator: say so */
    if (s->g_ema > 0) snprintf(run + n, sizeof run - n, " G avg %.4g", s->g_ema);
    snprintf(prog, sizeof prog, "iter %lld/%lld %.0f%%  %.1f it/s", (long long)s->iter,
             (long long)s->iters, s->iters ? 100.0 * (double)s->iter / (double)s->iters : 0.0,
             s->it_per_s);
    const char *st = state_text(s, v);
    int sw = (int)strlen(st) + 2, room = r.w - sw - 1;
    snprintf(line, sizeof line, " monoflow  %s  %s  %s ETA %s", run, prog, el, eta);
    if ((int)strlen(line) > room) snprintf(line, sizeof line, " %s  %s  %s ETA %s", run, prog, el, eta);
    if ((int)strlen(line) > room) snprintf(line, sizeof line, " %s  %s  ETA %s", run, prog, eta);
    if ((int)strlen(line) > room)
        snprintf(line, sizeof line, " %s  iter %lld/%lld %.1f it/s ETA %s", run,
                 (long long)s->iter, (long long)s->iters, s->it_per_s, eta);
    mfv_text(c, r.x, r.y, room, MFV_C_TITLE, line);
    int fg = s->state == MF_RUN_RUNNING && !v->trainer_gone ? MFV_C_OK : MFV_C_WARN;
    mfv_printf(c, r.x + r.w - sw, r.y, sw, fg, "[%s]", st);
}

/* ------------------------------------------------------------------ loss curves */

typedef float (*row_value)(const mf_snap_row *);
static float v_d(const mf_snap_row *r) { return r->d_loss; }
static float v_g(const mf_snap_row *r) { return r->g_loss; }

/* one auto-scaled, labelled curve of the history in b; x labels on the last row if asked */
static void curve(mfv_canvas *c, box b, const mf_snapshot *s, row_value f, int fg,
                  const char *name, int xlabels) {
    enum { LABEL = 9 };
    int rows = b.h - (xlabels ? 1 : 0), cols = b.w - LABEL;
    if (rows < 2 || cols < 4 || s->n_hist < 1) return;
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < s->n_hist; i++) {
        float v = f(&s->hist[i]);
        if (isfinite(v)) { lo = fminf(lo, v); hi = fmaxf(hi, v); }
    }
    if (!(lo <= hi)) return;
    float pad = (hi - lo) * 0.05f + 1e-6f * (fabsf(hi) + 1e-6f);
    lo -= pad;
    hi += pad;
    mfv_printf(c, b.x, b.y, LABEL - 1, MFV_C_DIM, "%8.3g", hi);
    mfv_printf(c, b.x, b.y + rows - 1, LABEL - 1, MFV_C_DIM, "%8.3g", lo);
    if (rows >= 3) mfv_printf(c, b.x, b.y + rows / 2, LABEL - 1, fg, "%8.8s", name);
    uint32_t axis = c->ascii ? '|' : 0x2502, dot = c->ascii ? '*' : 0x2022,
             join = c->ascii ? '|' : 0x2502;
    for (int y = 0; y < rows; y++) mfv_put(c, b.x + LABEL - 1, b.y + y, axis, MFV_C_DIM, MFV_C_NONE);
    int prev = -1;
    for (int x = 0; x < cols; x++) { /* the history stretched over the width, interpolated */
        float t = s->n_hist == 1 ? 0 : (float)x * (s->n_hist - 1) / (cols - 1);
        int i = (int)t;
        float a = f(&s->hist[i]), v = a;
        if (i + 1 < s->n_hist) v = a + (f(&s->hist[i + 1]) - a) * (t - i);
        if (!isfinite(v)) { prev = -1; continue; }
        int y = rows - 1 - (int)lroundf((v - lo) / (hi - lo) * (rows - 1));
        if (prev >= 0)
            for (int k = (prev < y ? prev : y) + 1; k < (prev < y ? y : prev); k++)
                mfv_put(c, b.x + LABEL + x, b.y + k, join, fg, MFV_C_NONE);
        mfv_put(c, b.x + LABEL + x, b.y + y, dot, fg, MFV_C_NONE);
        prev = y;
    }
    if (xlabels) {
        int last = s->n_hist - 1, used = cols;
        mfv_printf(c, b.x + LABEL - 1, b.y + rows, cols, MFV_C_DIM, "%.0f", s->hist[0].iter);
        char t[32];
        int n = snprintf(t, sizeof t, "%.0f iter", s->hist[last].iter);
        mfv_text(c, b.x + LABEL + used - n, b.y + rows, n, MFV_C_DIM, t);
    }
}

static void loss_panel(mfv_canvas *c, mfv_rect r, const mf_snapshot *s, const mfv_view *v) {
    mfv_frame(c, r, "losses", v->focus == MFV_LOSS);
    box b = inner(r);
    const char *gname = !strcmp(s->mode, "fit") ? "fit loss" : "G loss";
    mfv_printf(c, b.x, b.y, b.w, MFV_C_NONE, "D %.4f %s %.4g KL(p|q) %.3f KL(q|p) %.3f",
               s->d_loss, s->has_g ? (!strcmp(s->mode, "fit") ? "fit" : "G") : "push",
               s->has_g ? s->g_loss : s->push_len, s->kl_pq, s->kl_qp);
    if (s->n_hist == 0) {
        mfv_text(c, b.x, b.y + 2, b.w, MFV_C_DIM, "waiting for the first logged iteration");
        return;
    }
    box top = {b.x, b.y + 1, b.w, b.h - 1};
    if (!s->has_g) {
        curve(c, top, s, v_d, MFV_C_A, "D loss", 1);
        return;
    }
    box up = {top.x, top.y, top.w, (top.h - 1) / 2};
    box down = {top.x, top.y + up.h, top.w, top.h - up.h};
    curve(c, up, s, v_d, MFV_C_A, "D loss", 0);
    curve(c, down, s, v_g, MFV_C_B, gname, 1);
}

/* ------------------------------------------------------------------ density ratio map */

static const char ramp[] = " .:-=+*#%@";

static float map_value(int ratio, float d) {
    return ratio ? expf(fminf(d, 30.f)) : d;
}

static int by_value(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* the colour scale: D diverging around 0 over [-m, m], r from 0 to m, where m is the 95th
 * percentile of |value| over the map (D's extrapolation far from the data would otherwise
 * squeeze the interesting part into one colour) */
static void scale(const mf_snapshot *s, int ratio, float *lo, float *hi) {
    enum { N = MF_SNAP_MAP_H * MF_SNAP_MAP_W };
    float v[N];
    int n = 0;
    for (int i = 0; i < N; i++) {
        float x = fabsf(map_value(ratio, (&s->map[0][0])[i]));
        if (isfinite(x)) v[n++] = x;
    }
    qsort(v, (size_t)n, sizeof *v, by_value);
    float m = n ? v[(n - 1) * 95 / 100] : 1;
    if (!(m > 0)) m = 1;
    *lo = ratio ? 0 : -m;
    *hi = m;
}

static int level(float v, float lo, float hi, int n) {
    if (!isfinite(v)) return 0;
    int l = (int)((v - lo) / (hi - lo) * n);
    return l < 0 ? 0 : l >= n ? n - 1 : l;
}

static float sample_map(const mf_snapshot *s, float fx, float fy) {
    int col = (int)(fx * MF_SNAP_MAP_W), row = (int)(fy * MF_SNAP_MAP_H);
    col = col < 0 ? 0 : col >= MF_SNAP_MAP_W ? MF_SNAP_MAP_W - 1 : col;
    row = row < 0 ? 0 : row >= MF_SNAP_MAP_H ? MF_SNAP_MAP_H - 1 : row;
    return s->map[row][col];
}

static void heat(mfv_canvas *c, box b, const mf_snapshot *s, const mfv_view *v, float lo, float hi) {
    int halves = v->color && !c->ascii;
    for (int y = 0; y < b.h; y++)
        for (int x = 0; x < b.w; x++) {
            float fx = (x + 0.5f) / b.w;
            if (halves) { /* upper half block: fg is the upper sample, bg the lower */
                float up = map_value(v->ratio, sample_map(s, fx, (2 * y + 0.5f) / (2 * b.h)));
                float dn = map_value(v->ratio, sample_map(s, fx, (2 * y + 1.5f) / (2 * b.h)));
                mfv_put(c, b.x + x, b.y + y, 0x2580, MFV_C_HEAT0 + level(up, lo, hi, MFV_HEAT_LEVELS),
                        MFV_C_HEAT0 + level(dn, lo, hi, MFV_HEAT_LEVELS));
            } else {
                float val = map_value(v->ratio, sample_map(s, fx, (y + 0.5f) / b.h));
                int l = level(val, lo, hi, (int)sizeof ramp - 1);
                mfv_put(c, b.x + x, b.y + y, (uint32_t)ramp[l],
                        v->color ? MFV_C_HEAT0 + level(val, lo, hi, MFV_HEAT_LEVELS) : MFV_C_NONE,
                        MFV_C_NONE);
            }
        }
}

/* real points 'o', generated 'x', both in one cell 'X'; the cell keeps its heat colour */
static void marks(mfv_canvas *c, box b, const mf_snapshot *s, const mfv_view *v) {
    for (int pass = 0; pass < 2; pass++) {
        int n = pass ? s->n_fake : s->n_real;
        const float(*p)[2] = pass ? s->fake : s->real;
        for (int i = 0; i < n; i++) {
            float fx = (p[i][0] - s->x0) / (s->x1 - s->x0), fy = (s->y1 - p[i][1]) / (s->y1 - s->y0);
            if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) continue;
            int x = b.x + (int)(fx * b.w), y = b.y + (int)(fy * b.h);
            mfv_cell *cell = &c->cells[y * c->w + x];
            uint32_t mark = pass == 0 ? 'o' : (cell->ch == 'o' || cell->ch == 'X') ? 'X' : 'x';
            int bg = cell->ch == 0x2580 ? cell->bg : MFV_C_NONE;
            mfv_put(c, x, y, mark, pass == 0 ? MFV_C_A : MFV_C_B, bg);
            c->cells[y * c->w + x].bold = 1;
        }
    }
}

/* ------------------------------------------------------------------ generated images */

/* mean of an f x fy block of image i at pixel (x, y), 0..255 */
static int block(const mf_snapshot *s, int i, int x, int y, int f, int fy) {
    int sum = 0, n = 0;
    for (int dy = 0; dy < fy; dy++)
        for (int dx = 0; dx < f; dx++)
            if (y + dy < s->img_h && x + dx < s->img_w) {
                sum += s->images[i][(y + dy) * s->img_w + x + dx];
                n++;
            }
    return n ? sum / n : 0;
}

/* cells of one image drawn at 1/f of its size: half blocks hold 2 rows of pixels */
static void image_size(const mf_snapshot *s, int f, int *cw, int *ch) {
    *cw = (s->img_w + f - 1) / f;
    *ch = (s->img_h + 2 * f - 1) / (2 * f); /* a cell is about twice as tall as wide */
}

static void one_image(mfv_canvas *c, int x0, int y0, const mf_snapshot *s, int i, int f,
                      int halves, int color) {
    int cw, ch;
    image_size(s, f, &cw, &ch);
    for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++) {
            int up = block(s, i, x * f, 2 * y * f, f, f);
            int dn = block(s, i, x * f, (2 * y + 1) * f, f, f);
            if (halves) {
                mfv_put(c, x0 + x, y0 + y, 0x2580, MFV_C_GRAY0 + up * MFV_GRAY_LEVELS / 256,
                        MFV_C_GRAY0 + dn * MFV_GRAY_LEVELS / 256);
            } else {
                int l = (up + dn) / 2 * ((int)sizeof ramp - 1) / 256;
                mfv_put(c, x0 + x, y0 + y, (uint32_t)ramp[l],
                        color ? MFV_C_GRAY0 + MFV_GRAY_LEVELS - 1 : MFV_C_NONE, MFV_C_NONE);
            }
        }
}

/* as many of the snapshot's generated images as fit, at the largest size that shows four
 * (or all, when fewer) */
static void image_grid(mfv_canvas *c, box b, const mf_snapshot *s, const mfv_view *v) {
    int halves = v->color && !c->ascii, want = s->n_images < 4 ? s->n_images : 4;
    int f = 1, cw, ch, cols = 0, rows = 0;
    for (; f <= 8; f++) {
        image_size(s, f, &cw, &ch);
        cols = b.w / (cw + 1);
        rows = b.h / (ch + 1);
        if (cols * rows >= want) break;
    }
    if (cols * rows < 1) {
        mfv_text(c, b.x, b.y, b.w, MFV_C_DIM, "(too small for the images)");
        return;
    }
    int shown = 0;
    for (int i = 0; i < s->n_images && i < cols * rows; i++, shown++)
        one_image(c, b.x + (i % cols) * (cw + 1), b.y + (i / cols) * (ch + 1), s, i, f, halves,
                  v->color);
    mfv_printf(c, b.x, b.y + b.h, b.w, MFV_C_DIM, "%d of %d generated, %dx%d at 1/%d", shown,
               s->n_images, s->img_w, s->img_h, f);
}

static void map_panel(mfv_canvas *c, mfv_rect r, const mf_snapshot *s, const mfv_view *v) {
    const char *title = s->n_images ? "generated images"
                        : v->ratio  ? "density ratio r = exp D = p/q"
                                    : "density ratio D = log p/q";
    mfv_frame(c, r, title, v->focus == MFV_MAP);
    box b = inner(r);
    if (s->n_images) {
        box m = {b.x, b.y, b.w, b.h - 1};
        image_grid(c, m, s, v);
        return;
    }
    if (!s->has_map) {
        mfv_printf(c, b.x, b.y, b.w, MFV_C_DIM, "no map: the data has %d dimensions", s->dim);
        mfv_text(c, b.x, b.y + 1, b.w, MFV_C_DIM, "(the histograms of D show the ratio)");
        return;
    }
    float lo, hi;
    scale(s, v->ratio, &lo, &hi);
    box m = {b.x, b.y, b.w, b.h - 2};
    heat(c, m, s, v, lo, hi);
    marks(c, m, s, v);
    mfv_printf(c, b.x, b.y + b.h - 2, b.w, MFV_C_DIM, "x %.2f .. %.2f   y %.2f .. %.2f", s->x0,
               s->x1, s->y0, s->y1);
    mfv_printf(c, b.x, b.y + b.h - 1, b.w, MFV_C_DIM, "o real x gen X both  %s %.3g..%.3g",
               v->ratio ? "r" : "D", lo, hi);
}

/* ------------------------------------------------------------------ histograms */

static uint32_t peak(const uint32_t *bins) {
    uint32_t m = 1;
    for (int i = 0; i < MF_SNAP_BINS; i++)
        if (bins[i] > m) m = bins[i];
    return m;
}

/* bar height in cells: a bin with any count shows at least one cell */
static int bar(uint32_t count, uint32_t max, int cells) {
    int h = (int)lroundf((float)count / max * cells);
    return count && h == 0 ? 1 : h;
}

/* bin of column x of w */
static int bin_of(int x, int w) { return x * MF_SNAP_BINS / w; }

static uint32_t bar_glyph(const mfv_canvas *c, int real) {
    return c->ascii ? (real ? '#' : '=') : 0x2588;
}

/* real upward from the middle line, generated downward, each scaled to its own peak (real
 * samples pile up in few bins, generated ones spread while they are off): the two shapes
 * meet when D ~ 0 */
static void mirrored(mfv_canvas *c, box b, const mf_snapshot *s) {
    int half = b.h / 2;
    uint32_t mr = peak(s->h_real), mg = peak(s->h_fake);
    for (int x = 0; x < b.w; x++) {
        int bin = bin_of(x, b.w);
        int up = bar(s->h_real[bin], mr, half);
        int dn = bar(s->h_fake[bin], mg, b.h - half - 1);
        for (int k = 0; k < up; k++) mfv_put(c, b.x + x, b.y + half - 1 - k, bar_glyph(c, 1), MFV_C_A, MFV_C_NONE);
        mfv_put(c, b.x + x, b.y + half, c->ascii ? '-' : 0x2500, MFV_C_DIM, MFV_C_NONE);
        for (int k = 0; k < dn; k++) mfv_put(c, b.x + x, b.y + half + 1 + k, bar_glyph(c, 0), MFV_C_B, MFV_C_NONE);
    }
}

/* both upward on one scale, so the heights compare */
static void overlaid(mfv_canvas *c, box b, const mf_snapshot *s) {
    uint32_t mr = peak(s->h_real), mg = peak(s->h_fake), m = mr > mg ? mr : mg;
    for (int x = 0; x < b.w; x++) {
        int bin = bin_of(x, b.w);
        int a = bar(s->h_real[bin], m, b.h);
        int g = bar(s->h_fake[bin], m, b.h);
        for (int k = 0; k < (a > g ? a : g); k++) {
            int both = k < a && k < g;
            uint32_t ch = both ? (c->ascii ? '@' : 0x2588) : bar_glyph(c, k < a);
            mfv_put(c, b.x + x, b.y + b.h - 1 - k, ch, both ? MFV_C_C : k < a ? MFV_C_A : MFV_C_B,
                    MFV_C_NONE);
        }
    }
}

static void hist_panel(mfv_canvas *c, mfv_rect r, const mf_snapshot *s, const mfv_view *v) {
    mfv_frame(c, r, "histogram of D: real vs generated", v->focus == MFV_HIST);
    box b = inner(r);
    if (s->n_real == 0) return;
    mfv_printf(c, b.x, b.y, b.w, MFV_C_NONE, "mean D real %.3f  generated %.3f", s->d_real,
               s->d_fake);
    box h = {b.x, b.y + 1, b.w, b.h - 3};
    if (h.h < 2) return;
    if (v->overlay) overlaid(c, h, s);
    else mirrored(c, h, s);
    char lo[32], hi[32];
    int nh = snprintf(hi, sizeof hi, "%.3g", s->h_hi);
    snprintf(lo, sizeof lo, "D %.3g", s->h_lo);
    mfv_text(c, b.x, b.y + b.h - 2, b.w, MFV_C_DIM, lo);
    mfv_text(c, b.x + b.w - nh, b.y + b.h - 2, nh, MFV_C_DIM, hi);
    const char *block = c->ascii ? "#" : "\xe2\x96\x88", *gen = c->ascii ? "=" : block;
    if (v->overlay)
        mfv_printf(c, b.x, b.y + b.h - 1, b.w, MFV_C_DIM, "%s real  %s generated  %s both", block,
                   gen, c->ascii ? "@" : block);
    else
        mfv_printf(c, b.x, b.y + b.h - 1, b.w, MFV_C_DIM, "%s real up  %s generated down", block, gen);
    if (!c->ascii) { /* colour the legend's blocks like the bars */
        mfv_cell *row = &c->cells[(b.y + b.h - 1) * c->w + b.x];
        row[0].fg = MFV_C_A;
        row[v->overlay ? 8 : 11].fg = MFV_C_B;
        if (v->overlay) row[21].fg = MFV_C_C;
    }
}

/* ------------------------------------------------------------------ device */

static void field(char *out, int cap, int valid, const char *fmt, double v) {
    if (valid) snprintf(out, (size_t)cap, fmt, v);
    else snprintf(out, (size_t)cap, "n/a");
}

static void device_panel(mfv_canvas *c, mfv_rect r, const mf_snapshot *s, const mfv_devstat *d,
                         const mfv_view *v) {
    mfv_frame(c, r, "device", v->focus == MFV_DEVICE);
    box b = inner(r);
    char held[32], total[32], util[32], temp[32], used[48] = "";
    mfv_bytes((double)s->bytes_held, held, sizeof held);
    mfv_bytes((double)s->global_mem, total, sizeof total);
    field(util, sizeof util, d && d->util_valid, "%.0f %%", d ? d->util_pct : 0);
    field(temp, sizeof temp, d && d->temp_valid, c->ascii ? "%.0f C" : "%.0f \xc2\xb0" "C",
          d ? d->temp_c : 0);
    if (d && d->mem_valid) {
        char u[32];
        mfv_bytes(d->mem_used_bytes, u, sizeof u);
        snprintf(used, sizeof used, "  in use %s", u);
    }
    int y = b.y, w = b.w;
    mfv_text(c, b.x, y++, w, MFV_C_TITLE, s->device);
    mfv_printf(c, b.x, y++, w, MFV_C_NONE, "%s, %s, %u CUs, %u MHz", s->vendor, s->device_type,
               s->compute_units, s->clock_mhz);
    mfv_printf(c, b.x, y++, w, MFV_C_NONE, "memory held %s of %s", held, total);
    mfv_printf(c, b.x, y++, w, MFV_C_NONE, "busy %s  temp %s%s", util, temp, used);
    mfv_printf(c, b.x, y++, w, MFV_C_NONE, "ms/iter: D %.2f  push %.2f  fit %.2f", s->ms_d,
               s->ms_push, s->ms_fit);
    mfv_printf(c, b.x, y++, w, MFV_C_NONE, "GEMM %.2f GFLOP/s  %.1f it/s", s->gemm_gflops,
               s->it_per_s);
    char ck[32] = "none yet";
    if (s->ckpt_iter >= 0) snprintf(ck, sizeof ck, "iteration %lld", (long long)s->ckpt_iter);
    mfv_printf(c, b.x, y++, w, MFV_C_NONE, "checkpoint: %s", ck);
    mfv_printf(c, b.x, y++, w, MFV_C_DIM, "run %s", s->run_dir);
    if (y < b.y + b.h)
        mfv_printf(c, b.x, y++, w, MFV_C_DIM, "status from %s", d ? d->source : "none");
}

/* ------------------------------------------------------------------ frame */

static void footer(mfv_canvas *c, mfv_rect r, const mf_snapshot *s, const mfv_view *v) {
    const char *msg = v->note[0] ? v->note : s->message;
    if (s->state == MF_RUN_FINISHED && v->attached && !v->note[0]) msg = "this run has finished";
    if (v->trainer_gone) msg = "the trainer is not running: this is its last snapshot";
    int len = (int)strlen(msg);
    /* the message matters more than the key list: the list shrinks to make room */
    const char *keys = "q quit  p pause  s save  +/- eps  tab panel  r D/r  o overlay  ? help";
    if ((int)strlen(keys) + len + 3 > r.w) keys = "q quit  p pause  s save  ? help";
    if ((int)strlen(keys) + len + 3 > r.w) keys = "? help";
    int n = mfv_text(c, r.x, r.y, r.w, MFV_C_DIM, keys);
    if (len && n + 3 < r.w) {
        int w = len < r.w - n - 3 ? len : r.w - n - 3;
        mfv_text(c, r.x + r.w - w, r.y, w, MFV_C_WARN, msg);
    }
}

static void help_box(mfv_canvas *c) {
    static const char *lines[] = {
        "q        quit the viewer (the run goes on)",
        "p        pause / resume training",
        "s        write a checkpoint now",
        "+ / -    push step eps x1.25 / x0.8",
        "tab, arrows  one panel / all panels",
        "r        map of D or of r = exp D",
        "o        histograms overlaid / mirrored",
        "?        this help (any key closes it)",
    };
    int n = (int)(sizeof lines / sizeof *lines), w = 46, h = n + 2;
    mfv_rect r = {(c->w - w) / 2, (c->h - h) / 2, w, h};
    for (int y = r.y; y < r.y + h; y++)
        for (int x = r.x; x < r.x + w; x++) mfv_put(c, x, y, ' ', MFV_C_NONE, MFV_C_NONE);
    mfv_frame(c, r, "keys", 1);
    for (int i = 0; i < n; i++) mfv_text(c, r.x + 2, r.y + 1 + i, w - 4, MFV_C_NONE, lines[i]);
}

static void too_small(mfv_canvas *c) {
    char a[96], b[96];
    snprintf(a, sizeof a, "terminal %dx%d is too small", c->w, c->h);
    snprintf(b, sizeof b, "the view needs %dx%d", MFV_MIN_COLS, MFV_MIN_ROWS);
    const char *lines[] = {a, b, "(resize it, or use --once)"};
    for (int i = 0; i < 3; i++) {
        int len = (int)strlen(lines[i]), x = (c->w - len) / 2;
        mfv_text(c, x < 0 ? 0 : x, c->h / 2 - 1 + i, c->w, MFV_C_WARN, lines[i]);
    }
}

void mfv_draw(mfv_canvas *c, const mf_snapshot *s, const mfv_devstat *d, const mfv_view *v) {
    mfv_canvas_clear(c);
    mfv_layout l = mfv_layout_for(c->w, c->h, v->focus);
    if (l.too_small) {
        too_small(c);
        return;
    }
    header(c, l.header, s, v);
    if (l.panel[MFV_LOSS].w) loss_panel(c, l.panel[MFV_LOSS], s, v);
    if (l.panel[MFV_MAP].w) map_panel(c, l.panel[MFV_MAP], s, v);
    if (l.panel[MFV_HIST].w) hist_panel(c, l.panel[MFV_HIST], s, v);
    if (l.panel[MFV_DEVICE].w) device_panel(c, l.panel[MFV_DEVICE], s, d, v);
    footer(c, l.footer, s, v);
    if (v->help) help_box(c);
}
