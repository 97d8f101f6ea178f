/* The pictures a viewer shows, taken from the trainer at a logged iteration. */
#include <math.h>
#include <stdlib.h>

#include "monoflow/train.h"

enum { N = MF_SNAP_POINTS, GRID = MF_SNAP_MAP_W * MF_SNAP_MAP_H };

/* the bounding box of the real points, 10 % wider on each side, as a square-ish frame */
static void extent(mf_snapshot *s, const float *pts, int n, int dim) {
    float x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i < n; i++) {
        float x = pts[i * dim], y = pts[i * dim + 1];
        x0 = fminf(x0, x); x1 = fmaxf(x1, x);
        y0 = fminf(y0, y); y1 = fmaxf(y1, y);
    }
    float px = 0.1f * (x1 - x0) + 1e-3f, py = 0.1f * (y1 - y0) + 1e-3f;
    s->x0 = x0 - px; s->x1 = x1 + px;
    s->y0 = y0 - py; s->y1 = y1 + py;
    s->has_map = 1;
}

static mf_status map(mf_trainer *t, mf_snapshot *s) {
    float *grid = malloc(sizeof(float) * 2 * GRID);
    if (!grid) return mf_fail(MF_ERR_NOMEM, "out of memory for the snapshot's map");
    for (int r = 0; r < MF_SNAP_MAP_H; r++)
        for (int c = 0; c < MF_SNAP_MAP_W; c++) {
            float *g = grid + 2 * (r * MF_SNAP_MAP_W + c);
            g[0] = s->x0 + (s->x1 - s->x0) * (c + 0.5f) / MF_SNAP_MAP_W;
            g[1] = s->y1 - (s->y1 - s->y0) * (r + 0.5f) / MF_SNAP_MAP_H;
        }
    mf_status st = mf_trainer_eval_d(t, grid, GRID, &s->map[0][0]);
    free(grid);
    return st;
}

/* first two coordinates of n points of dim into out (n x 2) */
static void first_two(const float *pts, int n, int dim, float (*out)[2]) {
    for (int i = 0; i < n; i++) {
        out[i][0] = pts[i * dim];
        out[i][1] = dim > 1 ? pts[i * dim + 1] : 0;
    }
}

/* image data: the first generated images as bytes */
static void images(const mf_trainer *t, const float *fake, int nf, mf_snapshot *s) {
    const mf_data *d = &t->data;
    int px = d->height * d->width;
    if (d->kind != MF_DATA_IMAGES || px > MF_SNAP_IMAGE_PIXELS) return;
    s->img_h = d->height;
    s->img_w = d->width;
    s->n_images = nf < MF_SNAP_IMAGES ? nf : MF_SNAP_IMAGES;
    for (int i = 0; i < s->n_images; i++)
        for (int p = 0; p < px; p++) {
            float v = fake[i * t->dim + p];
            v = v > 1 ? 1 : v > -1 ? v : -1; /* NaN too */
            s->images[i][p] = (uint8_t)((v + 1) * 127.5f + 0.5f);
        }
}

mf_status mf_trainer_snapshot(mf_trainer *t, mf_snapshot *s) {
    int dim = t->dim, nf = t->has_g || t->n_fake >= N ? N : t->n_fake;
    float *real = malloc(sizeof(float) * N * dim), *fake = malloc(sizeof(float) * N * dim);
    float dr[N], df[N];
    mf_status st = real && fake ? MF_OK : mf_fail(MF_ERR_NOMEM, "out of memory for a snapshot");
    /* fixed seeds: successive snapshots show the same latent points moving */
    if (st == MF_OK) st = mf_trainer_real(t, 424242, N, real);
    if (st == MF_OK) st = mf_trainer_generate(t, 171717, (size_t)nf, fake);
    if (st == MF_OK) st = mf_trainer_eval_d(t, real, N, dr);
    if (st == MF_OK) st = mf_trainer_eval_d(t, fake, (size_t)nf, df);
    if (st == MF_OK) {
        first_two(real, N, dim, s->real);
        first_two(fake, nf, dim, s->fake);
        s->n_real = N;
        s->n_fake = nf;
        mf_snapshot_histograms(s, dr, N, df, nf);
        images(t, fake, nf, s);
        if (dim == 2 && !s->has_map) extent(s, real, N, dim);
        if (dim == 2) st = map(t, s);
    }
    free(real);
    free(fake);
    return st;
}
