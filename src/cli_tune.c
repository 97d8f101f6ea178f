/* `monoflow tune`: searches CLBlast's direct GEMM parameters on the products training runs,
 * within a time budget, and stores the best for the device (every later run applies it). */
#include <clblast_c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/timing.h"
#include "monoflow/bench.h"
#include "monoflow/shapes.h"
#include "monoflow/tune.h"
#include "cli.h"

static const char *usage =
    "usage: monoflow tune [--device SPEC] [--budget SECONDS] [--config toy|image|all]\n"
    "                     [--repeats N]\n"
    "\n"
    "Searches CLBlast's XgemmDirect parameters (the kernel of every training-size product)\n"
    "on the device, timing one pass over the matrix products of a training iteration in each\n"
    "mode of the benchmark configurations. The best is kept in the cache\n"
    "($MONOFLOW_CACHE_DIR, else ~/.cache/monoflow/clblast/) and applied by every later run\n"
    "on that device; delete the file to go back to CLBlast's own parameters.\n"
    "\n"
    "  --device SPEC    index, gpu, cpu or a name [$MONOFLOW_DEVICE, else the default]\n"
    "  --budget SECONDS wall time for the search, compiles included [120]\n"
    "  --config NAME    toy, image or all: whose products to time [all]\n"
    "  --repeats N      timed passes per candidate; the median counts [3]\n";

/* every product of one iteration in each mode of the chosen configurations */
static int training_shapes(const char *which, mf_gemm_shape *out, int cap) {
    static const char *configs[] = {"toy", "image"};
    int n = 0;
    for (int c = 0; c < 2; c++) {
        if (strcmp(which, "all") && strcmp(which, configs[c])) continue;
        for (int mode = 0; mode < MF_MODE_COUNT; mode++) {
            mf_config cfg;
            int dim;
            mf_gemm_shape s[MF_SHAPES_MAX];
            if (mf_bench_preset(configs[c], mode, 1, &cfg, &dim) != MF_OK) continue;
            int k = mf_shapes_of_config(&cfg, dim, s, MF_SHAPES_MAX);
            n = mf_shapes_merge(out, n, s, k, cap);
        }
    }
    return n;
}

static void print_shapes(const mf_gemm_shape *s, int n, const double *base, const double *best) {
    printf("\n%-34s %9s %9s %7s\n", "product (first use)", "default", "tuned", "gain");
    for (int i = 0; i < n; i++) {
        double f = mf_shape_flops(&s[i]) * 1e-9;
        printf("%-34s %6.1f GF %6.1f GF %6.2fx\n", s[i].what, f / base[i], f / best[i],
               base[i] / best[i]);
    }
}

typedef struct {
    const char *device, *config;
    double budget;
    int repeats;
} tune_args;

static int parse(int argc, char **argv, tune_args *a) {
    *a = (tune_args){NULL, "all", 120, 3};
    for (int i = 0; i < argc; i++) {
        const char *f = argv[i], *v;
        if (!strcmp(f, "--help") || !strcmp(f, "-h")) {
            fputs(usage, stdout);
            return -1;
        }
        if (strcmp(f, "--device") && strcmp(f, "--config") && strcmp(f, "--budget") &&
            strcmp(f, "--repeats"))
            return cli_usage("unknown flag '%s' for tune; run `monoflow tune --help`", f);
        if (!(v = cli_value(argc, argv, &i))) return EXIT_USAGE;
        char *end;
        if (!strcmp(f, "--device")) a->device = v;
        else if (!strcmp(f, "--config")) a->config = v;
        else if (!strcmp(f, "--budget")) {
            a->budget = strtod(v, &end);
            if (*end || !(a->budget >= 1 && a->budget <= 86400))
                return cli_usage("--budget wants seconds from 1 to 86400, got '%s'", v);
        } else if (!strcmp(f, "--repeats")) {
            a->repeats = (int)strtol(v, &end, 10);
            if (*end || a->repeats < 1 || a->repeats > 64)
                return cli_usage("--repeats wants a whole number from 1 to 64, got '%s'", v);
        }
    }
    if (strcmp(a->config, "all") && strcmp(a->config, "toy") && strcmp(a->config, "image"))
        return cli_usage("--config wants toy, image or all, got '%s'", a->config);
    return 0;
}

typedef struct {
    mf_ctx *ctx;
    mf_tune_bench *bench;
    const tune_args *a;
    double base, best_sec, *shape_sec, *tmp;
    mf_tune_params best;
    int n_shapes, tried, failed;
} search_state;

/* times one candidate; keeps it when it is the best so far */
static void try_candidate(search_state *s, const mf_tune_params *p) {
    char text[200];
    mf_tune_format(p, text, sizeof text);
    CLBlastClearCache(); /* the programs of earlier candidates are not needed again */
    double sec;
    mf_status st = mf_tune_override(s->ctx, p);
    if (st == MF_OK) st = mf_tune_bench_run(s->bench, s->a->repeats, &sec, s->tmp);
    s->tried++;
    if (st != MF_OK) {
        s->failed++;
        printf("  [%3d] %s  rejected: %s\n", s->tried, text, mf_last_error());
        return;
    }
    int better = sec < s->best_sec;
    printf("  [%3d] %s  %8.2f ms  %5.2fx%s\n", s->tried, text, sec * 1e3, s->base / sec,
           better ? "  best so far" : "");
    fflush(stdout);
    if (better) {
        s->best = *p;
        s->best_sec = sec;
        memcpy(s->shape_sec, s->tmp, sizeof(double) * (size_t)s->n_shapes);
    }
}

static int same(const mf_tune_params *a, const mf_tune_params *b) {
    return !memcmp(a->v, b->v, sizeof a->v);
}

/* Random points of the space for the first half of the budget (as CLBlast's own tuner
 * samples), then the neighbours of the best (one parameter changed) until the budget ends
 * or none is better. */
static mf_status search(search_state *s, double t_end) {
    const mf_device_info *d = mf_ctx_device(s->ctx);
    mf_tune_params *cand;
    int n;
    mf_status st = mf_tune_space(d->max_work_group, d->local_mem, 1, &cand, &n);
    if (st != MF_OK) return st;
    char *done = calloc((size_t)n, 1);
    if (!done) {
        free(cand);
        return mf_fail(MF_ERR_NOMEM, "out of host memory");
    }
    printf("search space: %d valid XgemmDirect configurations (CLBlast's tuner space)\n", n);
    mf_tune_params stored;
    int found = 0;
    if (mf_tune_load(d, &stored, &found) == MF_OK && found) {
        printf("the stored parameters first:\n");
        try_candidate(s, &stored);
        for (int j = 0; j < n; j++) done[j] |= same(&cand[j], &stored);
    }
    double t_half = mf_seconds() + (t_end - mf_seconds()) / 2;
    int i = 0;
    for (; i < n && mf_seconds() < t_half; i++) {
        if (done[i]) continue;
        try_candidate(s, &cand[i]);
        done[i] = 1;
    }
    printf("neighbours of the best:\n");
    for (int improved = 1; improved && mf_seconds() < t_end;) {
        improved = 0;
        mf_tune_params centre = s->best;
        for (int j = 0; j < n && mf_seconds() < t_end; j++) {
            int diff = 0;
            for (int p = 0; p < MF_TP_COUNT; p++) diff += cand[j].v[p] != centre.v[p];
            if (done[j] || diff != 1) continue;
            done[j] = 1;
            try_candidate(s, &cand[j]);
            if (!same(&s->best, &centre)) {
                improved = 1;
                break;
            }
        }
    }
    printf("tried %d of %d configurations (%d rejected) in the budget\n", s->tried, n,
           s->failed);
    free(done);
    free(cand);
    return MF_OK;
}

static int run(mf_ctx *ctx, const tune_args *a, double t_start) {
    const mf_device_info *d = mf_ctx_device(ctx);
    mf_gemm_shape shapes[MF_SHAPES_MAX];
    int n = training_shapes(a->config, shapes, MF_SHAPES_MAX);
    double flops = 0;
    for (int i = 0; i < n; i++) flops += mf_shape_flops(&shapes[i]) * shapes[i].count;
    printf("device: %s (%s, driver %s)\n", d->name, d->platform_name, d->driver_version);
    printf("products: %d shapes from the %s configuration%s, %.3f GFLOP per pass\n", n,
           a->config, strcmp(a->config, "all") ? "" : "s", flops * 1e-9);
    mf_tune_bench *b;
    mf_status st = mf_tune_bench_create(ctx, shapes, n, &b);
    if (st != MF_OK) return cli_fail(st);
    double base, base_shape[MF_SHAPES_MAX], best_shape[MF_SHAPES_MAX];
    st = mf_tune_bench_run(b, a->repeats, &base, base_shape);
    if (st != MF_OK) {
        mf_tune_bench_destroy(b);
        return cli_fail(st);
    }
    printf("CLBlast's defaults: %.2f ms per pass (%.1f GFLOP/s)\n", base * 1e3,
           flops / base * 1e-9);
    double tmp[MF_SHAPES_MAX];
    search_state s = {ctx, b, a, base, base, best_shape, tmp, {{0}}, n, 0, 0};
    st = search(&s, t_start + a->budget);
    mf_tune_bench_destroy(b);
    if (st != MF_OK) return cli_fail(st);
    mf_tune_params best = s.best;
    double best_sec = s.best_sec;
    char path[700], text[200], note[400];
    mf_tune_path(d, path, sizeof path);
    if (best_sec > base * 0.97) {
        printf("no configuration beat CLBlast's defaults by 3 %% or more; nothing stored\n");
        return 0;
    }
    print_shapes(shapes, n, base_shape, best_shape);
    mf_tune_format(&best, text, sizeof text);
    snprintf(note, sizeof note, "%.2f ms per pass against %.2f ms with CLBlast's defaults (%.2fx), "
             "%s configuration%s", best_sec * 1e3, base * 1e3, base / best_sec, a->config,
             strcmp(a->config, "all") ? "" : "s");
    if ((st = mf_tune_save(d, &best, note)) != MF_OK) return cli_fail(st);
    printf("\nbest: %s\n  %.2f ms per pass against %.2f ms: %.2fx over CLBlast's defaults "
           "(%.1f GFLOP/s)\nstored in %s; every later run on this device applies it\n",
           text, best_sec * 1e3, base * 1e3, base / best_sec, flops / best_sec * 1e-9, path);
    return 0;
}

int cli_tune(int argc, char **argv) {
    double t_start = mf_seconds();
    tune_args a;
    int rc = parse(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    mf_ctx *ctx;
    mf_status st = mf_ctx_create_flags(mf_device_spec(a.device), MF_CTX_GEMM_DEFAULTS, &ctx);
    if (st != MF_OK) return cli_fail(st);
    rc = run(ctx, &a, t_start);
    mf_ctx_destroy(ctx);
    return rc;
}
