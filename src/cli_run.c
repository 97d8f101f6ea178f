/* monoflow sample and monoflow eval, and the run helpers they share with train. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "monoflow/png.h"
#include "monoflow/scores.h"
#include "monoflow/checkpoint.h"
#include "monoflow/metrics.h"
#include "monoflow/runlog.h"
#include "run.h"

mf_status run_open(run_t *r, const mf_config *cfg, const char *device_spec) {
    memset(r, 0, sizeof *r);
    mf_status st = mf_ctx_create(device_spec, &r->ctx);
    if (st != MF_OK) return st;
    st = mf_trainer_create(r->ctx, cfg, &r->tr);
    if (st != MF_OK) {
        mf_ctx_destroy(r->ctx);
        r->ctx = NULL;
    }
    return st;
}

mf_status run_load(run_t *r, const char *dir, const char *device_spec) {
    char path[1100];
    mf_rundir_path(dir, MF_CHECKPOINT_FILE, path, sizeof path);
    if (access(path, R_OK) != 0)
        return mf_fail(MF_ERR_ARG, "no checkpoint in %s (looked for %s): pass a run directory "
                                   "that `monoflow train` has written", dir, path);
    mf_config cfg;
    mf_status st = mf_checkpoint_config(path, &cfg);
    if (st == MF_OK) st = run_open(r, &cfg, device_spec);
    if (st != MF_OK) return st;
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    st = mf_checkpoint_load(&r->tr, path);
    if (st != MF_OK) run_close(r);
    return st;
}

void run_close(run_t *r) {
    if (!r->ctx) return;
    mf_trainer_destroy(&r->tr);
    mf_ctx_destroy(r->ctx);
    r->ctx = NULL;
}

/* the HQ counts of every mode: open, then each count (sep between), then close */
static void print_counts(FILE *out, const mf_mode_score *sc, const char *open, const char *sep,
                         const char *close) {
    fputs(open, out);
    for (int m = 0; m < sc->modes; m++) fprintf(out, "%s%d", m ? sep : "", sc->counts[m]);
    fputs(close, out);
}

static double mean(const float *x, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i];
    return n ? s / n : 0;
}

/* image data with labels: the Fréchet distance and the class histogram (scores.h) */
static int image_report(run_t *r, FILE *out, int json, size_t n, unsigned long long seed) {
    mf_image_scores sc;
    mf_status st = mf_image_scores_compute(&r->tr, n, seed, json ? stderr : out, &sc);
    if (st != MF_OK) return cli_fail(st);
    if (json) {
        fprintf(out, ",\"images\":%zu,\"test_images\":%zu,\"fid\":%.6g,"
                     "\"classifier_accuracy\":%.6g,\"classes_covered\":%d,"
                     "\"class_reverse_kl\":%.6g,\"class_counts\":[",
                sc.n_gen, sc.n_test, sc.fid, sc.accuracy, sc.covered, sc.class_reverse_kl);
        for (int k = 0; k < MF_CLS_CLASSES; k++)
            fprintf(out, "%s%d", k ? "," : "", sc.counts[k]);
        fprintf(out, "]");
        return 0;
    }
    fprintf(out, "  Frechet distance %.3f between %zu test and %zu generated images, in the "
                 "features of the project's classifier (test accuracy %.2f %%)\n",
            sc.fid, sc.n_test, sc.n_gen, 100 * sc.accuracy);
    fprintf(out, "  classes covered %d / %d (at least 1 %% of the images), reverse KL to "
                 "uniform %.4f; per class:", sc.covered, MF_CLS_CLASSES, sc.class_reverse_kl);
    for (int k = 0; k < MF_CLS_CLASSES; k++) fprintf(out, " %d", sc.counts[k]);
    fprintf(out, "\n");
    return 0;
}

int run_report(run_t *r, FILE *out, int json, size_t n, size_t n_images,
               unsigned long long seed) {
    mf_trainer *t = &r->tr;
    if (!t->has_g && n > (size_t)t->n_fake) n = (size_t)t->n_fake;
    size_t dim = t->dim;
    float *fake = malloc(n * dim * sizeof *fake), *real = malloc(n * dim * sizeof *real);
    float *dr = malloc(n * sizeof *dr), *df = malloc(n * sizeof *df);
    mf_status st = fake && real && dr && df ? MF_OK : mf_fail(MF_ERR_NOMEM, "out of memory");
    if (st == MF_OK) st = mf_trainer_generate(t, seed, n, fake);
    if (st == MF_OK) st = mf_trainer_real(t, seed + 1, n, real);
    if (st == MF_OK) st = mf_trainer_eval_d(t, real, n, dr);
    if (st == MF_OK) st = mf_trainer_eval_d(t, fake, n, df);
    if (st != MF_OK) {
        free(fake), free(real), free(dr), free(df);
        return cli_fail(st);
    }
    float centers[50], sigma;
    int k = mf_data_modes(t->data.kind, centers, &sigma);
    mf_mode_score sc = {0};
    if (k) mf_mode_score_compute(fake, n, centers, k, sigma, &sc);
    double kl_pq = mean(dr, n), kl_qp = -mean(df, n);
    /* image scores on 10000 generated images unless a count was asked for */
    int labelled = t->data.kind == MF_DATA_IMAGES && t->data.labels && t->has_g, rc = 0;
    if (!n_images) n_images = 10000;
    if (json) {
        fprintf(out, "{\"run\":\"%s\",\"iter\":%ld,\"mode\":\"%s\",\"h\":\"%s\",\"data\":\"%s\","
                     "\"samples\":%zu,\"kl_pq\":%.6g,\"kl_qp\":%.6g",
                r->dir, t->iter, mf_mode_name((mf_mode)t->cfg.mode), mf_h_name((mf_h)t->cfg.h),
                t->cfg.data, n, kl_pq, kl_qp);
        if (t->g_avg.mem) fprintf(out, ",\"g_ema\":%.6g", t->cfg.g_ema);
        if (k) {
            fprintf(out, ",\"modes\":%d,\"modes_covered\":%d,\"hq\":%.6g,\"reverse_kl\":%.6g",
                    k, sc.covered, sc.hq, sc.reverse_kl);
            print_counts(out, &sc, ",\"mode_counts\":[", ",", "]");
        }
        if (labelled && image_report(r, out, 1, n_images, seed)) rc = 1;
        fprintf(out, "}\n");
    } else {
        char avg[64] = "";
        if (t->g_avg.mem)
            snprintf(avg, sizeof avg, ", from G's weight average %g", t->cfg.g_ema);
        fprintf(out, "%s at iteration %ld (%s, h %s, %s%s), %zu samples:\n", r->dir, t->iter,
                mf_mode_name((mf_mode)t->cfg.mode), mf_h_name((mf_h)t->cfg.h), t->cfg.data, avg,
                n);
        if (k) {
            fprintf(out, "  modes covered %d / %d, high quality %.1f %% (within 3 sigma = %g), "
                         "reverse KL %.4f\n", sc.covered, k, 100 * sc.hq, 3 * sigma,
                    sc.reverse_kl);
            print_counts(out, &sc, "  HQ samples per mode: ", " ", "\n");
        }
        fprintf(out, "  KL(p||q) ~ E_p[D] = %.4f, KL(q||p) ~ -E_q[D] = %.4f\n", kl_pq, kl_qp);
        if (labelled) rc = image_report(r, out, 0, n_images, seed);
    }
    free(fake), free(real), free(dr), free(df);
    return rc;
}

/* a near-square grid */
static int png_columns(size_t n) {
    int c = 1;
    while ((size_t)c * c < n) c++;
    return c;
}

/* shared flags of sample and eval: RUNDIR first, then flags */
typedef struct {
    const char *dir, *device, *out, *png_out;
    long n;
    unsigned long long seed;
    int json;
    int n_given;     /* -n was on the command line */
} tool_args;

static void tool_usage(const char *cmd) {
    if (!strcmp(cmd, "sample"))
        printf("usage: monoflow sample RUNDIR [-n N] [--seed S] [--device SPEC] "
               "(--out FILE.csv | --png FILE.png)\n\n"
               "N generated points (flow mode: the particles), one per line, comma-separated\n"
               "[-n 1000]; or, for image runs, a PNG grid of N images [-n 64].\n");
    else
        printf("usage: monoflow eval RUNDIR [-n N] [--seed S] [--device SPEC] [--json]\n\n"
               "On N generated samples [2500]: modes covered, HQ %% and reverse KL (ring8,\n"
               "grid25), the KL estimates E_p[D] and -E_q[D]; for labelled image runs the\n"
               "Frechet distance and the class coverage on 10000 images (N when -n is given).\n");
}

static int parse_tool(const char *cmd, int argc, char **argv, tool_args *a, long n_default) {
    memset(a, 0, sizeof *a);
    a->n = n_default;
    a->seed = 12345;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *v;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            tool_usage(cmd);
            return 0;
        }
        if (arg[0] != '-') {
            if (a->dir) return cli_usage("%s takes one run directory, got '%s' too", cmd, arg);
            a->dir = arg;
        } else if (!strcmp(arg, "--device")) {
            if (!(a->device = cli_value(argc, argv, &i))) return EXIT_USAGE;
        } else if (!strcmp(arg, "--out") && !strcmp(cmd, "sample")) {
            if (!(a->out = cli_value(argc, argv, &i))) return EXIT_USAGE;
        } else if (!strcmp(arg, "--png") && !strcmp(cmd, "sample")) {
            if (!(a->png_out = cli_value(argc, argv, &i))) return EXIT_USAGE;
        } else if (!strcmp(arg, "-n") || !strcmp(arg, "--seed")) {
            if (!(v = cli_value(argc, argv, &i))) return EXIT_USAGE;
            char *end;
            long long x = strtoll(v, &end, 10);
            long long hi = arg[1] == 'n' ? 10000000 : 0x7fffffffffffffffLL;
            if (!*v || *end || x < (arg[1] == 'n' ? 1 : 0) || x > hi)
                return cli_usage("%s wants a whole number from %d to %lld, got '%s'", arg,
                                 arg[1] == 'n' ? 1 : 0, hi, v);
            if (arg[1] == 'n') a->n = (long)x, a->n_given = 1;
            else a->seed = (unsigned long long)x;
        } else if (!strcmp(arg, "--json") && !strcmp(cmd, "eval")) {
            a->json = 1;
        } else {
            return cli_usage("unknown flag '%s' for %s; run `monoflow help`", arg, cmd);
        }
    }
    if (!a->dir) return cli_usage("%s needs a run directory: monoflow %s RUNDIR ...", cmd, cmd);
    if (!strcmp(cmd, "sample") && !a->out && !a->png_out)
        return cli_usage("sample needs --out FILE.csv (or --png FILE.png for images)");
    return -1;
}

int cli_sample(int argc, char **argv) {
    tool_args a;
    int rc = parse_tool("sample", argc, argv, &a, 1000);
    if (rc >= 0) return rc;
    if (a.png_out && !a.n_given) a.n = 64;
    run_t r;
    mf_status st = run_load(&r, a.dir, mf_device_spec(a.device));
    if (st != MF_OK) return cli_fail(st);
    const mf_data *d = &r.tr.data;
    if (a.png_out && d->kind != MF_DATA_IMAGES) {
        run_close(&r);
        return cli_usage("--png draws images; the run in %s trains on %s (use --out FILE.csv)",
                         a.dir, r.tr.cfg.data);
    }
    size_t n = (size_t)a.n, dim = r.tr.dim;
    float *pts = malloc(n * dim * sizeof *pts);
    st = pts ? mf_trainer_generate(&r.tr, a.seed, n, pts) : mf_fail(MF_ERR_NOMEM, "out of memory");
    if (st == MF_OK && a.out) st = mf_write_points_csv(a.out, pts, n, (int)dim);
    if (st == MF_OK && a.png_out)
        st = mf_png_grid(a.png_out, pts, n, d->height, d->width, png_columns(n));
    free(pts);
    run_close(&r);
    if (st != MF_OK) return cli_fail(st);
    if (a.out) printf("wrote %zu points of dimension %zu to %s\n", n, dim, a.out);
    if (a.png_out) printf("wrote a grid of %zu images to %s\n", n, a.png_out);
    return 0;
}

int cli_eval(int argc, char **argv) {
    tool_args a;
    int rc = parse_tool("eval", argc, argv, &a, 2500);
    if (rc >= 0) return rc;
    run_t r;
    mf_status st = run_load(&r, a.dir, mf_device_spec(a.device));
    if (st != MF_OK) return cli_fail(st);
    rc = run_report(&r, stdout, a.json, (size_t)a.n, a.n_given ? (size_t)a.n : 0, a.seed);
    run_close(&r);
    return rc;
}
