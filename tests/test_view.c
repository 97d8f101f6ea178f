/* The viewer's pure parts on a made-up snapshot: what each panel draws (labels, extent,
 * histogram, device), ASCII mode, the too-small message; the snapshot file round trip, the
 * history's thinning, the histograms' counts; the control file (whole lines only, no replay
 * of old commands). No terminal and no OpenCL. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tui/view.h"
#include "check.h"
#include "monoflow/control.h"

static void make(mf_snapshot *s) {
    mf_snapshot_init(s);
    s->pid = getpid();
    strcpy(s->run_dir, "/tmp/some-run");
    strcpy(s->data, "ring8");
    strcpy(s->mode, "fit");
    strcpy(s->h, "logit");
    strcpy(s->device, "Test Device 9000");
    strcpy(s->vendor, "ACME");
    strcpy(s->device_type, "gpu");
    s->k = 5;
    s->dim = 2;
    s->has_g = 1;
    s->iter = 1200;
    s->iters = 8000;
    s->eps = 0.3;
    s->it_per_s = 40;
    s->global_mem = 8ull << 30;
    s->bytes_held = 3 << 20;
    s->compute_units = 36;
    s->clock_mhz = 1800;
    s->ms_d = 5.25;
    s->gemm_gflops = 123.5;
    for (int i = 0; i < 100; i++) {
        mf_snap_row r = {(float)(50 * (i + 1)), 1.4f - 0.004f * i, 0.5f / (i + 1), 0.1f, 0.2f};
        mf_snapshot_add_row(s, &r);
    }
    s->has_map = 1;
    s->x0 = -2.5f; s->x1 = 2.5f; s->y0 = -2.5f; s->y1 = 2.5f;
    for (int r = 0; r < MF_SNAP_MAP_H; r++)
        for (int c = 0; c < MF_SNAP_MAP_W; c++) s->map[r][c] = (float)(c - 32) / 8;
    float dr[100], df[100];
    for (int i = 0; i < 100; i++) {
        dr[i] = 1 + i * 0.01f;
        df[i] = -1 - i * 0.01f;
    }
    mf_snapshot_histograms(s, dr, 100, df, 100);
    s->n_real = s->n_fake = 2;
    s->real[0][0] = 2; s->real[0][1] = 0;
    s->fake[0][0] = -2; s->fake[0][1] = 0;
}

/* the canvas as one string of rows joined by newlines */
static char *text(const mfv_canvas *c) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mfv_canvas_print(c, f);
    fclose(f);
    return buf;
}

static int all_ascii(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s > 126) return 0;
    return 1;
}

static void frame_at(const mf_snapshot *s, int w, int h, int ascii) {
    mfv_canvas c;
    mfv_canvas_init(&c, w, h, ascii);
    mfv_view v = {0};
    v.focus = -1;
    mfv_devstat d = {0};
    d.util_valid = 1;
    d.util_pct = 42;
    strcpy(d.source, "test");
    mfv_draw(&c, s, &d, &v);
    char *t = text(&c);
    const char *want[] = {"losses", "  D loss", "fit loss", "density ratio D = log p/q",
                          "x -2.50 .. 2.50", "y -2.50 .. 2.50", "histogram of D",
                          "Test Device 9000", "36 CUs", "busy 42 %", "temp n/a",
                          "iter 1200/8000", "[RUNNING]", "GEMM 123.50 GFLOP/s", "5000 iter"};
    for (unsigned i = 0; i < sizeof want / sizeof *want; i++)
        CHECK(strstr(t, want[i]), "%dx%d%s: no '%s' in\n%s", w, h, ascii ? " ascii" : "", want[i], t);
    CHECK(!ascii || all_ascii(t), "%dx%d ascii frame has non-ASCII bytes", w, h);
    CHECK(!ascii || (strstr(t, "# real up  = generated down") && strstr(t, "====")),
          "%dx%d: no generated bars or legend", w, h);
    CHECK(ascii || strstr(t, "\xe2\x95\xad"), "%dx%d: no rounded box corner in UTF-8 mode", w, h);
    /* the map's left half is D < 0 (shade ' ' or '.'), its right half D > 0 ('%' or '@') */
    CHECK(strstr(t, "@@@@"), "%dx%d: no high shade on the right of the map", w, h);
    free(t);
    mfv_canvas_free(&c);
}

static void views(const mf_snapshot *s) {
    frame_at(s, 80, 24, 0);
    frame_at(s, 80, 24, 1);
    frame_at(s, 160, 50, 1);
    mfv_canvas c;
    mfv_canvas_init(&c, 60, 20, 1);
    mfv_view v = {0};
    v.focus = -1;
    mfv_draw(&c, s, NULL, &v);
    char *t = text(&c);
    CHECK(strstr(t, "terminal 60x20 is too small") && strstr(t, "needs 80x24"), "too small:\n%s", t);
    CHECK(!strstr(t, "losses"), "a panel drawn on a too-small terminal");
    free(t);
    mfv_canvas_free(&c);
    /* r = exp D, focus on the map alone, help on top */
    mfv_canvas_init(&c, 100, 30, 1);
    v.ratio = 1;
    v.focus = MFV_MAP;
    v.help = 1;
    mfv_draw(&c, s, NULL, &v);
    t = text(&c);
    CHECK(strstr(t, "r = exp D") && !strstr(t, "histogram of D") && strstr(t, "push step eps"),
          "ratio/focus/help:\n%s", t);
    free(t);
    mfv_canvas_free(&c);
    /* a run that samples from the weight average says so in the header */
    mf_snapshot *e = malloc(sizeof *e);
    for (int avg = 0; avg < 2; avg++) {
        *e = *s;
        e->g_ema = avg ? 0.999 : 0;
        mfv_canvas_init(&c, 160, 50, 1);
        v = (mfv_view){0};
        v.focus = -1;
        mfv_draw(&c, e, NULL, &v);
        t = text(&c);
        CHECK(!strstr(t, "K=5 G avg 0.999") == !avg, "G avg %d in the header:\n%s", avg, t);
        CHECK(strstr(t, "h=logit eps=0.3"), "no eps in the fit header:\n%s", t);
        free(t);
        mfv_canvas_free(&c);
    }
    /* one-step has no push step: no eps in its header */
    *e = *s;
    strcpy(e->mode, "one-step");
    mfv_canvas_init(&c, 160, 50, 1);
    mfv_draw(&c, e, NULL, &v);
    t = text(&c);
    CHECK(strstr(t, "ring8 one-step h=logit ") && !strstr(t, "eps="), "one-step header:\n%s", t);
    free(t);
    mfv_canvas_free(&c);
    free(e);
}

static void snapshot_file(const mf_snapshot *s) {
    char dir[] = "/tmp/mf-test-view-XXXXXX", path[64];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, sizeof path, "%s/snapshot.mfsn", dir);
    mf_snapshot *r = malloc(sizeof *r);
    CHECK(mf_snapshot_write(s, path) == MF_OK, "write: %s", mf_last_error());
    CHECK(mf_snapshot_read(path, r) == MF_OK && !memcmp(s, r, sizeof *s), "round trip differs");
    FILE *f = fopen(path, "r+b"); /* truncate it: a reader must refuse it */
    CHECK(f && ftruncate(fileno(f), 100) == 0, "truncate");
    if (f) fclose(f);
    CHECK(mf_snapshot_read(path, r) == MF_ERR_FORMAT && strstr(mf_last_error(), "not a snapshot"),
          "truncated snapshot: %s", mf_last_error());
    remove(path);
    CHECK(mf_snapshot_read(path, r) == MF_ERR_IO, "missing snapshot");
    /* history: 100 rows fit; 600 rows are thinned to at most 256, first and order kept */
    CHECK(s->n_hist == 100 && s->hist_stride == 1, "100 rows: n %d stride %d", s->n_hist, s->hist_stride);
    mf_snapshot_init(r);
    for (int i = 0; i < 600; i++) {
        mf_snap_row row = {(float)i, 0, 0, 0, 0};
        mf_snapshot_add_row(r, &row);
    }
    int sorted = 1;
    for (int i = 1; i < r->n_hist; i++) sorted &= r->hist[i].iter == r->hist[i - 1].iter + r->hist_stride;
    CHECK(r->n_hist <= MF_SNAP_HISTORY && r->n_hist >= MF_SNAP_HISTORY / 2 && r->hist[0].iter == 0 &&
              sorted && r->hist[r->n_hist - 1].iter >= 600 - r->hist_stride,
          "600 rows: n %d stride %d last %.0f", r->n_hist, r->hist_stride, r->hist[r->n_hist - 1].iter);
    /* histograms: 100 real in the upper half of [-1.99, 1.99], 100 generated in the lower */
    unsigned real = 0, fake = 0, up = 0;
    for (int b = 0; b < MF_SNAP_BINS; b++) {
        real += s->h_real[b];
        fake += s->h_fake[b];
        if (b >= MF_SNAP_BINS / 2) up += s->h_real[b] + s->h_fake[b];
    }
    CHECK(real == 100 && fake == 100 && up == 100, "histogram counts %u %u %u", real, fake, up);
    CHECK_NEAR(s->h_lo, -1.99, 1e-6);
    CHECK_NEAR(s->h_hi, 1.99, 1e-6);
    free(r);
    rmdir(dir);
}

static void control(void) {
    char dir[] = "/tmp/mf-test-ctl-XXXXXX", path[64], cmd[64];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    CHECK(mf_control_send(dir, "pause") == MF_OK, "send");
    mf_control c;
    mf_control_open(&c, dir); /* an old "pause" is not replayed */
    CHECK(!mf_control_next(&c, cmd, sizeof cmd), "old command replayed");
    mf_control_send(dir, "save");
    mf_control_send(dir, "eps-up");
    CHECK(mf_control_next(&c, cmd, sizeof cmd) && !strcmp(cmd, "save"), "first: %s", cmd);
    CHECK(mf_control_next(&c, cmd, sizeof cmd) && !strcmp(cmd, "eps-up"), "second: %s", cmd);
    CHECK(!mf_control_next(&c, cmd, sizeof cmd), "nothing more");
    snprintf(path, sizeof path, "%s/control", dir);
    FILE *f = fopen(path, "a");
    fputs("resu", f); /* a line still being written waits for its newline */
    fflush(f);
    CHECK(!mf_control_next(&c, cmd, sizeof cmd), "half a line taken");
    fputs("me\n", f);
    fclose(f);
    CHECK(mf_control_next(&c, cmd, sizeof cmd) && !strcmp(cmd, "resume"), "completed: %s", cmd);
    CHECK(mf_control_send("/nonexistent/dir", "pause") == MF_ERR_IO &&
              strstr(mf_last_error(), "/nonexistent/dir/control"),
          "send to a missing dir: %s", mf_last_error());
    remove(path);
    rmdir(dir);
}

/* image data: the map panel shows generated images; a white square on black must come out
 * as the brightest shade in ASCII and as white half blocks in colour */
static void image_panel(mf_snapshot *s) {
    s->has_map = 0;
    s->dim = 784;
    s->n_images = 16;
    s->img_h = s->img_w = 28;
    for (int i = 0; i < 16; i++)
        for (int p = 0; p < 784; p++) s->images[i][p] = (p / 28 >= 8 && p % 28 >= 8) ? 255 : 0;
    for (int ascii = 1; ascii >= 0; ascii--) {
        mfv_canvas c;
        mfv_canvas_init(&c, 120, 40, ascii);
        mfv_view v = {0};
        v.focus = -1;
        v.color = !ascii;
        mfv_draw(&c, s, NULL, &v);
        char *t = text(&c);
        CHECK(strstr(t, "generated images") && !strstr(t, "density ratio D"), "title:\n%s", t);
        CHECK(strstr(t, "of 16 generated, 28x28 at 1/"), "caption:\n%s", t);
        CHECK(!ascii || strstr(t, "@@@@"), "ascii: no bright shade for the white square");
        int all_white = 0, halves = 0;
        for (int i = 0; i < c.w * c.h; i++) {
            halves += c.cells[i].ch == 0x2580;
            all_white |= c.cells[i].ch == 0x2580 &&
                                c.cells[i].fg == MFV_C_GRAY0 + MFV_GRAY_LEVELS - 1 &&
                                c.cells[i].bg == MFV_C_GRAY0 + MFV_GRAY_LEVELS - 1;
        }
        CHECK(ascii || (halves > 100 && all_white), "colour: %d half blocks", halves);
        CHECK(!ascii || all_ascii(t), "ascii frame has non-ASCII bytes");
        free(t);
        mfv_canvas_free(&c);
    }
}

int main(void) {
    mf_snapshot *s = malloc(sizeof *s);
    make(s);
    views(s);
    snapshot_file(s);
    control();
    image_panel(s);
    free(s);
    return test_finish("test_view");
}
