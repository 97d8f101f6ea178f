/* `monoflow tune`: searches CLBlast's GEMM parameters (direct kernel, indirect kernel and the
 * size between them) on the products training runs, within a time budget, and stores the
 * best for the device (every later run applies it). */
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
    "Searches CLBlast's GEMM parameters on the device: the direct kernel's (XgemmDirect, one\n"
    "launch for any shape), the indirect kernel's (Xgemm, padded copies first, fast on large\n"
    "products) and the size from which the indirect one takes over. Each candidate is timed\n"
    "on one pass over the matrix products of a training iteration in each mode of the\n"
    "benchmark configurations and checked against CLBlast's defaults. The best is kept in the\n"
    "cache\n"
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

/* Timings of one setting move by up to 2x between candidates on a shared machine, so the
 * fastest few are timed again, side by side, before one is kept. */
#define MF_FINALISTS 3

typedef struct {
    mf_tuning t;
    double sec;
} finalist;

typedef struct {
    mf_ctx *ctx;
    mf_tune_bench *bench;
    const tune_args *a;
    double base, best_sec, *shape_sec, *tmp;
    mf_tuning best;
    int n_shapes, tried, failed;
    finalist top[MF_FINALISTS], direct; /* the fastest seen, for the final re-timing */
    int n_top;
} search_state;

static int same_setting(const mf_tuning *a, const mf_tuning *b) {
    char x[640], y[640];
    mf_tuning_format(a, x, sizeof x);
    mf_tuning_format(b, y, sizeof y);
    return !strcmp(x, y);
}

/* the top list, sorted by time, and the fastest direct-only setting beside it, so that the
 * final round also weighs "no indirect kernel" */
static void keep_finalist(search_state *s, const mf_tuning *t, double sec) {
    if (!t->indirect_on && (s->direct.sec <= 0 || sec < s->direct.sec))
        s->direct = (finalist){*t, sec};
    for (int i = 0; i < s->n_top; i++)
        if (same_setting(&s->top[i].t, t)) return;
    if (s->n_top == MF_FINALISTS && sec >= s->top[MF_FINALISTS - 1].sec) return;
    int n = s->n_top < MF_FINALISTS ? s->n_top++ : MF_FINALISTS - 1;
    s->top[n] = (finalist){*t, sec};
    for (int i = n; i > 0 && s->top[i].sec < s->top[i - 1].sec; i--) {
        finalist x = s->top[i];
        s->top[i] = s->top[i - 1];
        s->top[i - 1] = x;
    }
}

/* applies a whole setting (programs compiled afresh) and times one pass under it */
static mf_status time_setting(search_state *s, const mf_tuning *t, double *sec) {
    CLBlastClearCache(); /* the programs of earlier candidates are not needed again */
    mf_status st = mf_tune_apply(s->ctx, t);
    if (st == MF_OK && !t->indirect_on)
        st = mf_tune_indirect_from(s->ctx, MF_TUNE_NEVER_INDIRECT);
    if (st == MF_OK) st = mf_tune_bench_run(s->bench, s->a->repeats, sec, s->tmp);
    return st;
}

/* Times one whole setting; keeps it when it is the best so far. The seconds, or -1 when
 * CLBlast refused it or its results differ from the defaults'. */
static double try_candidate(search_state *s, const mf_tuning *t) {
    char text[640];
    mf_tuning_format(t, text, sizeof text);
    double sec = -1;
    mf_status st = time_setting(s, t, &sec);
    s->tried++;
    if (st != MF_OK) {
        s->failed++;
        printf("  [%3d] %s  rejected: %s\n", s->tried, text, mf_last_error());
        return -1;
    }
    int better = sec < s->best_sec;
    printf("  [%3d] %s  %8.2f ms  %5.2fx%s\n", s->tried, text, sec * 1e3, s->base / sec,
           better ? "  best so far" : "");
    fflush(stdout);
    keep_finalist(s, t, sec);
    if (better) {
        s->best = *t;
        s->best_sec = sec;
        memcpy(s->shape_sec, s->tmp, sizeof(double) * (size_t)s->n_shapes);
    }
    return sec;
}

static int same(const mf_tune_params *a, const mf_tune_params *b) {
    return a->kernel == b->kernel && !memcmp(a->v, b->v, sizeof a->v);
}

/* the best setting with kernel k's parameters replaced by p (the indirect kernel on, from
 * `from`) */
static mf_tuning with(const search_state *s, const mf_tune_params *p, size_t from) {
    mf_tuning t = s->best;
    if (p->kernel == MF_TUNE_DIRECT) {
        t.direct = *p;
    } else {
        t.indirect = *p;
        t.indirect_on = 1;
        t.min_indirect = from;
    }
    return t;
}

typedef struct {
    mf_tune_params *cand;
    char *done;
    int n;
    mf_tune_params centre; /* the phase's best, for its neighbours */
    double centre_sec;
    size_t from;
} phase;

static void phase_try(search_state *s, phase *ph, const mf_tune_params *p) {
    for (int j = 0; j < ph->n; j++) ph->done[j] |= same(&ph->cand[j], p);
    mf_tuning t = with(s, p, ph->from);
    double sec = try_candidate(s, &t);
    if (sec > 0 && (ph->centre_sec < 0 || sec < ph->centre_sec)) {
        ph->centre = *p;
        ph->centre_sec = sec;
    }
}

/* One kernel's parameters: the stored ones (or a starting point) first, random points of
 * the space (as CLBlast's own tuner samples) for half the phase, then the neighbours of the
 * phase's best (one parameter changed) until the phase ends or none is better. */
static mf_status search_kernel(search_state *s, mf_tune_kernel k, const mf_tune_params *first,
                               const char *first_what, size_t from, double t_end) {
    const mf_device_info *d = mf_ctx_device(s->ctx);
    phase ph = {NULL, NULL, 0, {k, {0}}, -1, from};
    mf_status st = mf_tune_space(k, d->max_work_group, d->local_mem, 1, &ph.cand, &ph.n);
    if (st != MF_OK) return st;
    ph.done = calloc((size_t)ph.n, 1);
    if (!ph.done) {
        free(ph.cand);
        return mf_fail(MF_ERR_NOMEM, "out of host memory");
    }
    printf("\n%s: %d valid configurations (CLBlast's tuner space)%s\n", mf_tune_kernel_name(k),
           ph.n, k == MF_TUNE_INDIRECT ? ", tried on products from 128^3 up" : "");
    if (first) {
        printf("%s first:\n", first_what);
        phase_try(s, &ph, first);
    }
    double t_half = mf_seconds() + (t_end - mf_seconds()) / 2;
    for (int i = 0; i < ph.n && mf_seconds() < t_half; i++)
        if (!ph.done[i]) phase_try(s, &ph, &ph.cand[i]);
    printf("neighbours of the best:\n");
    for (int improved = 1; improved && ph.centre_sec > 0 && mf_seconds() < t_end;) {
        improved = 0;
        mf_tune_params centre = ph.centre;
        for (int j = 0; j < ph.n && mf_seconds() < t_end; j++) {
            int diff = 0;
            for (int p = 0; p < mf_tune_count(k); p++) diff += ph.cand[j].v[p] != centre.v[p];
            if (ph.done[j] || diff != 1) continue;
            phase_try(s, &ph, &ph.cand[j]);
            if (!same(&ph.centre, &centre)) {
                improved = 1;
                break;
            }
        }
    }
    int tried = 0;
    for (int j = 0; j < ph.n; j++) tried += ph.done[j];
    printf("tried %d of %d %s configurations\n", tried, ph.n, mf_tune_kernel_name(k));
    /* later phases build on this phase's best even when it did not beat the defaults (the
     * direct kernel) or the direct kernel alone (the indirect one) */
    if (k == MF_TUNE_DIRECT && ph.centre_sec > 0 && s->best_sec >= s->base)
        s->best.direct = ph.centre;
    if (k == MF_TUNE_INDIRECT && ph.centre_sec > 0) {
        s->best.indirect = ph.centre;
        if (!s->best.indirect_on) s->best.min_indirect = from;
    }
    free(ph.done);
    free(ph.cand);
    return MF_OK;
}

/* the size from which the indirect kernel takes over, with the best parameters of both */
static void search_threshold(search_state *s, double t_end) {
    static const size_t sizes[] = {64, 96, 128, 192, 256, 384};
    printf("\nfrom which size the indirect kernel takes over:\n");
    mf_tuning base = s->best;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes && mf_seconds() < t_end; i++) {
        if (base.indirect_on && sizes[i] == base.min_indirect) continue;
        mf_tuning t = base;
        t.indirect_on = 1;
        t.min_indirect = sizes[i];
        try_candidate(s, &t);
    }
}

/* The finalists up to twice more, in turn, while the budget lasts; the one with the lowest
 * mean of its timings is kept (the gain reported is that mean against the defaults' one
 * timing). */
static void final_round(search_state *s, double t_end) {
    finalist f[MF_FINALISTS + 1];
    int n = 0;
    for (int i = 0; i < s->n_top; i++) f[n++] = s->top[i];
    int have_direct = 0;
    for (int i = 0; i < n; i++) have_direct |= same_setting(&f[i].t, &s->direct.t);
    if (s->direct.sec > 0 && !have_direct) f[n++] = s->direct;
    if (n < 2 || mf_seconds() >= t_end) return;
    printf("\nthe %d fastest, timed again in turn:\n", n);
    double sum[MF_FINALISTS + 1], shapes[MF_FINALISTS + 1][MF_SHAPES_MAX];
    int count[MF_FINALISTS + 1], timed_again = 0;
    for (int i = 0; i < n; i++) sum[i] = f[i].sec, count[i] = 1;
    for (int round = 0; round < 2 && mf_seconds() < t_end; round++, timed_again++)
        for (int i = 0; i < n; i++) {
            double sec;
            if (count[i] < 0 || time_setting(s, &f[i].t, &sec) != MF_OK) {
                count[i] = -1; /* it passed once; a failure now rules it out */
                continue;
            }
            sum[i] += sec;
            count[i]++;
            memcpy(shapes[i], s->tmp, sizeof(double) * (size_t)s->n_shapes);
        }
    int best = -1;
    for (int i = 0; i < n; i++) {
        if (count[i] < 0) continue;
        char text[640];
        mf_tuning_format(&f[i].t, text, sizeof text);
        double mean = sum[i] / count[i];
        printf("  %s  mean %8.2f ms  %5.2fx\n", text, mean * 1e3, s->base / mean);
        if (best < 0 || mean < sum[best] / count[best]) best = i;
    }
    if (best < 0 || !timed_again) return;
    s->best = f[best].t;
    s->best_sec = sum[best] / count[best];
    memcpy(s->shape_sec, shapes[best], sizeof(double) * (size_t)s->n_shapes);
}

/* the direct kernel for 35 % of the budget, the indirect one for 35 %, the size between
 * them for 10 %, then the final round */
static mf_status search(search_state *s, double t_start, double t_end) {
    const mf_device_info *d = mf_ctx_device(s->ctx);
    mf_tuning stored;
    int found = 0;
    if (mf_tune_load(d, &stored, &found) != MF_OK) found = 0;
    double span = t_end - t_start;
    mf_status st = search_kernel(s, MF_TUNE_DIRECT, found ? &stored.direct : NULL,
                                 "the stored parameters", 0, t_start + 0.35 * span);
    if (st != MF_OK) return st;
    size_t from = found && stored.indirect_on ? stored.min_indirect : 128;
    /* Xgemm's space is 14 times XgemmDirect's: without stored parameters the search starts
     * from wide vectorised tiles, which suit CPU devices (the random points follow) */
    mf_tune_params start = {MF_TUNE_INDIRECT, {0}};
    st = mf_tune_parse(MF_TUNE_INDIRECT,
                       "GEMMK=0 KREG=1 KWG=32 KWI=2 MDIMA=16 MDIMC=16 MWG=128 NDIMB=8 NDIMC=8 "
                       "NWG=64 SA=0 SB=0 STRM=0 STRN=0 VWM=8 VWN=8",
                       &start);
    if (st != MF_OK) return st;
    int have = found && stored.indirect_on;
    st = search_kernel(s, MF_TUNE_INDIRECT, have ? &stored.indirect : &start,
                       have ? "the stored parameters" : "a starting point", from,
                       t_start + 0.70 * span);
    if (st != MF_OK) return st;
    search_threshold(s, t_start + 0.80 * span);
    final_round(s, t_end);
    printf("\ntried %d settings (%d rejected) in the budget\n", s->tried, s->failed);
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
    search_state s = {.ctx = ctx, .bench = b, .a = a, .base = base, .best_sec = base,
                      .shape_sec = best_shape, .tmp = tmp, .n_shapes = n};
    st = search(&s, mf_seconds(), t_start + a->budget);
    mf_tune_bench_destroy(b);
    if (st != MF_OK) return cli_fail(st);
    mf_tuning best = s.best;
    double best_sec = s.best_sec;
    char path[700], text[640], note[400];
    mf_tune_path(d, path, sizeof path);
    if (best_sec > base * 0.97) {
        printf("no configuration beat CLBlast's defaults by 3 %% or more; nothing stored\n");
        return 0;
    }
    print_shapes(shapes, n, base_shape, best_shape);
    mf_tuning_format(&best, text, sizeof text);
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
