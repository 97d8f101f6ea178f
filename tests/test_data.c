/* Data and push: each toy sampler against its host reference (|d| <= 1e-4 + 1e-4 |ref|:
 * float transcendental functions against double), the ring8/grid25 parameters of
 * MONOFLOW.md checked on the samples, CSV rows sampled from the file, the CSV reader's
 * messages for bad files, the push kernel against its reference for every h
 * (|d| <= 1e-6 + 1e-5 |ref|), and the mode metrics on hand-made points. */
#include <string.h>
#include <unistd.h>

#include "monoflow/data.h"
#include "monoflow/metrics.h"
#include "monoflow/push.h"
#include "monoflow/ref.h"
#include "test_util.h"

static mf_ctx *ctx;

static void test_toys(void) {
    enum { N = 4000 };
    float *got = malloc(N * 2 * sizeof *got), *want = malloc(N * 2 * sizeof *want);
    double *wd = malloc(N * 2 * sizeof *wd);
    for (int k = 0; k < MF_DATA_CSV; k++) {
        mf_data d;
        MUST(mf_data_open(ctx, mf_data_name((mf_data_kind)k), &d));
        CHECK(d.dim == 2, "%s has dimension %d", mf_data_name((mf_data_kind)k), d.dim);
        mf_buf b;
        MUST(mf_buf_alloc(ctx, N * 2 + 6, &b));
        mf_rng r;
        mf_rng_init(&r, 99 + k);
        r.counter = 1000;
        MUST(mf_data_sample(ctx, &d, &r, &b, 6, N));
        CHECK(r.counter == 1000 + 2 * N, "%s advanced the counter to %llu",
              mf_data_name((mf_data_kind)k), (unsigned long long)r.counter);
        MUST(mf_buf_read(ctx, &b, 6, N * 2, got));
        mf_ref_toy_sample((mf_data_kind)k, 99 + k, 1000, N, want);
        for (int i = 0; i < N * 2; i++) wd[i] = want[i];
        char what[64];
        snprintf(what, sizeof what, "toy sampler %s", mf_data_name((mf_data_kind)k));
        check_close(what, got, wd, N * 2, 1e-4, 1e-4);
        if (k == MF_DATA_RING8 || k == MF_DATA_GRID25) {
            float centers[50], sigma;
            int m = mf_data_modes((mf_data_kind)k, centers, &sigma);
            mf_mode_score sc;
            mf_mode_score_compute(got, N, centers, m, sigma, &sc);
            /* a Gaussian's 2D mass within 3 sigma is 1 - e^-4.5 = 98.9 % */
            CHECK(sc.covered == m && sc.hq > 0.98 && sc.hq < 0.995 && sc.reverse_kl < 0.01,
                  "%s data itself: %d/%d modes, HQ %.4f, reverse KL %.4f", what, sc.covered, m,
                  sc.hq, sc.reverse_kl);
        }
        mf_buf_free(ctx, &b);
        mf_data_close(ctx, &d);
    }
    free(got), free(want), free(wd);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void expect_csv_error(const char *text, mf_status want, const char *needle) {
    char path[] = "/tmp/monoflow-csv-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    write_file(path, text);
    mf_data d;
    char spec[64];
    snprintf(spec, sizeof spec, "csv:%s", path);
    mf_status st = mf_data_open(ctx, spec, &d);
    CHECK(st == want, "CSV '%s': %s, want %s", text, mf_status_str(st), mf_status_str(want));
    CHECK(strstr(mf_last_error(), needle) != NULL, "CSV message '%s' lacks '%s'",
          mf_last_error(), needle);
    CHECK(mf_ctx_bytes_held(ctx) == 0, "a refused CSV left device memory");
    remove(path);
}

static void test_csv(void) {
    char path[] = "/tmp/monoflow-csv-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    write_file(path, "1,2,3\n\n4, 5 ,6\r\n7,8,9\n");
    char spec[64];
    snprintf(spec, sizeof spec, "csv:%s", path);
    mf_data d;
    MUST(mf_data_open(ctx, spec, &d));
    CHECK(d.rows == 3 && d.dim == 3, "CSV read as %zu rows of %d", d.rows, d.dim);
    mf_buf b;
    MUST(mf_buf_alloc(ctx, 300, &b));
    mf_rng r;
    mf_rng_init(&r, 5);
    MUST(mf_data_sample(ctx, &d, &r, &b, 0, 100));
    float got[300];
    MUST(mf_buf_read(ctx, &b, 0, 300, got));
    int seen[3] = {0}, bad = 0;
    for (int i = 0; i < 100; i++) {
        int row = (int)got[3 * i] / 3;
        if (row < 0 || row > 2 || got[3 * i + 1] != got[3 * i] + 1 || got[3 * i + 2] != got[3 * i] + 2)
            bad++;
        else
            seen[row]++;
    }
    CHECK(!bad && seen[0] && seen[1] && seen[2], "sampled rows are not rows of the file");
    mf_buf_free(ctx, &b);
    mf_data_close(ctx, &d);
    remove(path);

    expect_csv_error("1,2\n3,x\n", MF_ERR_FORMAT, "line 2, column 2: 'x' is not a finite number");
    expect_csv_error("1,2\n3,4,5\n", MF_ERR_FORMAT, "line 2 has 3 value(s), the first point has 2");
    expect_csv_error("1,,2\n", MF_ERR_FORMAT, "line 1, column 2");
    expect_csv_error("1,nan\n", MF_ERR_FORMAT, "'nan' is not a finite number");
    expect_csv_error("\n\n", MF_ERR_FORMAT, "holds no points");
    mf_data d2;
    CHECK(mf_data_open(ctx, "csv:/nonexistent/points.csv", &d2) == MF_ERR_IO &&
              strstr(mf_last_error(), "cannot read CSV file /nonexistent/points.csv"),
          "missing CSV: %s", mf_last_error());
    CHECK(mf_data_open(ctx, "ring9", &d2) == MF_ERR_ARG &&
              strstr(mf_last_error(), "unknown data set 'ring9': choose one of ring8"),
          "unknown data: %s", mf_last_error());
}

static void test_push_kernel(void) {
    enum { N = 300, DIM = 3 };
    float x[N * DIM], d[N], g[N * DIM], want[N * DIM], wlen[N], got[N * DIM], glen[N];
    double wd[N * DIM], wl[N];
    fill_random(x, N * DIM, 1, -2, 2);
    fill_random(d, N, 2, -5, 5);
    fill_random(g, N * DIM, 3, -1, 1);
    mf_buf bx, bd, bg, bt, bl;
    MUST(mf_buf_alloc(ctx, N * DIM, &bx));
    MUST(mf_buf_alloc(ctx, N, &bd));
    MUST(mf_buf_alloc(ctx, N * DIM, &bg));
    MUST(mf_buf_alloc(ctx, N * DIM, &bt));
    MUST(mf_buf_alloc(ctx, N, &bl));
    MUST(mf_buf_write(ctx, &bd, 0, N, d));
    MUST(mf_buf_write(ctx, &bg, 0, N * DIM, g));
    for (int h = 0; h < MF_H_COUNT; h++)
        for (int inplace = 0; inplace < 2; inplace++) {
            MUST(mf_buf_write(ctx, &bx, 0, N * DIM, x));
            mf_buf *target = inplace ? &bx : &bt;
            MUST(mf_push(ctx, target, &bx, &bd, &bg, N, DIM, (mf_h)h, 5.0f, 0.3f, &bl));
            MUST(mf_buf_read(ctx, target, 0, N * DIM, got));
            MUST(mf_buf_read(ctx, &bl, 0, N, glen));
            mf_ref_push(want, x, d, g, N, DIM, (mf_h)h, 5.0, 0.3, wlen);
            for (int i = 0; i < N * DIM; i++) wd[i] = want[i];
            for (int i = 0; i < N; i++) wl[i] = wlen[i];
            char what[80];
            snprintf(what, sizeof what, "push h=%s%s", mf_h_name((mf_h)h), inplace ? " in place" : "");
            check_close(what, got, wd, N * DIM, 1e-6, 1e-5);
            snprintf(what, sizeof what, "push length h=%s", mf_h_name((mf_h)h));
            check_close(what, glen, wl, N, 1e-6, 1e-5);
            /* the step itself, target - x = eps h'(d) grad: the defining property, to two
             * float ulps of |x| <= 2 (1e-6) plus 1e-5 relative */
            int off = 0;
            for (int i = 0; i < N * DIM; i++) {
                double hp = mf_ref_h_deriv(d[i / DIM], (mf_h)h, 5.0);
                double step = (double)got[i] - x[i], expect = 0.3 * hp * g[i];
                off += !close_to(step, expect, 1e-6, 1e-5);
            }
            CHECK(off == 0, "push h=%s: %d steps differ from eps h'(D) grad", mf_h_name((mf_h)h),
                  off);
        }
    mf_buf_free(ctx, &bx), mf_buf_free(ctx, &bd), mf_buf_free(ctx, &bg);
    mf_buf_free(ctx, &bt), mf_buf_free(ctx, &bl);
}

static void test_mode_score(void) {
    float centers[50], sigma;
    int k = mf_data_modes(MF_DATA_RING8, centers, &sigma);
    CHECK(k == 8 && sigma == 0.02f, "ring8 has %d modes, sigma %g", k, sigma);
    CHECK(fabs(centers[2] - sqrt(2.0)) < 1e-6 && fabs(centers[3] - sqrt(2.0)) < 1e-6,
          "ring8 mode 1 at (%g, %g)", centers[2], centers[3]);
    /* 4 samples on mode 0, 4 on mode 1 (one of them 0.05 away: within 3 sigma = 0.06), 2 far */
    float pts[20] = {2, 0, 2, 0, 2.01f, 0, 2, 0.01f, centers[2], centers[3], centers[2], centers[3],
                     centers[2], centers[3], centers[2] + 0.05f, centers[3], 0, 0, 1, 1};
    mf_mode_score sc;
    mf_mode_score_compute(pts, 10, centers, 8, sigma, &sc);
    CHECK(sc.covered == 2 && fabs(sc.hq - 0.8) < 1e-9, "covered %d, HQ %g", sc.covered, sc.hq);
    CHECK(fabs(sc.reverse_kl - log(4.0)) < 1e-9, "reverse KL %g, want log 4", sc.reverse_kl);
    CHECK(sc.counts[0] == 4 && sc.counts[1] == 4 && sc.counts[2] + sc.counts[7] == 0,
          "HQ counts per mode %d %d %d %d", sc.counts[0], sc.counts[1], sc.counts[2],
          sc.counts[7]);
    k = mf_data_modes(MF_DATA_GRID25, centers, &sigma);
    CHECK(k == 25 && sigma == 0.05f && centers[0] == -4 && centers[49] == 4, "grid25 modes");
}

int main(void) {
    ctx = test_ctx();
    test_toys();
    test_csv();
    test_push_kernel();
    test_mode_score();
    mf_ctx_destroy(ctx);
    return test_finish("test_data");
}
