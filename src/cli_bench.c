/* `monoflow bench`: the same fixed training workloads on every device (or the chosen ones),
 * with PyTorch's run of the same iteration side by side when python3-torch is there. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "monoflow/timing.h"
#include "monoflow/bench.h"
#include "monoflow/context.h"
#include "monoflow/files.h"
#include "monoflow/shapes.h"
#include "monoflow/train.h"
#include "monoflow/tune.h"
#include "bench_report.h"
#include "cli.h"

#define MF_TRY_CLI(x)                                                                          \
    do {                                                                                       \
        mf_status s_ = (x);                                                                    \
        if (s_ != MF_OK) return s_;                                                            \
    } while (0)

static const char *usage =
    "usage: monoflow bench [flags]\n"
    "\n"
    "Times the same training workloads on every OpenCL device (or those given):\n"
    "  toy    G and D 3x256 LeakyReLU, batch 256, ring8 (2D)\n"
    "  image  G 64->256->512->1024->784 tanh, D 784->512->256->1, batch 128, 784-dim data\n"
    "one iteration in each mode (one-step, fit with K=1 and K=5, flow), each GEMM shape those\n"
    "iterations run, the time from process start to the first finished iteration with cold\n"
    "and with warm caches, and the device memory held. When python3-torch is installed it\n"
    "runs bench/torch_iter.py (the same iteration in PyTorch) and prints the ratios.\n"
    "\n"
    "flags (default in brackets):\n"
    "  --device SPEC    a device to bench (index, gpu, cpu or a name); repeat for more [all]\n"
    "  --config NAME    toy, image or all [all]\n"
    "  --iters N        iterations per timed run [20]\n"
    "  --repeats N      timed runs; the median counts, min and max show the spread [5]\n"
    "  --warmup N       untimed iterations first [5]\n"
    "  --no-start       skip the cold and warm start measurement (it runs the program again)\n"
    "  --no-torch       skip PyTorch\n"
    "  --profile        print each workload's device time by kernel as well\n"
    "  --python PATH    the interpreter for PyTorch [$MONOFLOW_PYTHON, python3, /usr/bin/python3]\n"
    "  --json FILE      write the results as JSON\n"
    "  --csv FILE       write the results as CSV (one figure per row)\n"
    "  --compare FILE   print each figure's change against an earlier --json\n";

typedef struct {
    const char *devices[REP_MAX_DEV];
    int n_devices;
    const char *config, *json, *csv, *compare, *python;
    int iters, repeats, warmup, start, torch, profile;
    const char *probe; /* internal: the child that times the start */
} bench_args;

static int count_flag(const char *flag, const char *v, int lo, int hi, int *out) {
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < lo || x > hi)
        return cli_usage("%s wants a whole number from %d to %d, got '%s'", flag, lo, hi, v);
    *out = (int)x;
    return 0;
}

/* checked before the run, so a bad path does not waste the whole benchmark */
static int writable_dir_of(const char *path) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash) return access(".", W_OK) == 0;
    if (slash == dir) slash[1] = 0;
    else *slash = 0;
    return access(dir, W_OK) == 0;
}

static int parse(int argc, char **argv, bench_args *a) {
    memset(a, 0, sizeof *a);
    a->config = "all";
    a->iters = 20, a->repeats = 5, a->warmup = 5, a->start = 1, a->torch = 1;
    for (int i = 0; i < argc; i++) {
        const char *f = argv[i], *v;
        if (!strcmp(f, "--help") || !strcmp(f, "-h")) return fputs(usage, stdout), -1;
        if (!strcmp(f, "--no-start")) { a->start = 0; continue; }
        if (!strcmp(f, "--no-torch")) { a->torch = 0; continue; }
        if (!strcmp(f, "--profile")) { a->profile = 1; continue; }
        static const char *valued[] = {"--device", "--config", "--json", "--csv", "--compare",
                                       "--python", "--start-probe", "--iters", "--repeats",
                                       "--warmup"};
        int known = 0;
        for (size_t j = 0; j < sizeof valued / sizeof *valued; j++) known |= !strcmp(f, valued[j]);
        if (!known) return cli_usage("unknown flag '%s' for bench; run `monoflow bench --help`", f);
        if (!(v = cli_value(argc, argv, &i))) return EXIT_USAGE;
        int rc = 0;
        if (!strcmp(f, "--device")) {
            if (a->n_devices == REP_MAX_DEV) return cli_usage("at most %d --device", REP_MAX_DEV);
            a->devices[a->n_devices++] = v;
        } else if (!strcmp(f, "--config")) a->config = v;
        else if (!strcmp(f, "--json")) a->json = v;
        else if (!strcmp(f, "--csv")) a->csv = v;
        else if (!strcmp(f, "--compare")) a->compare = v;
        else if (!strcmp(f, "--python")) a->python = v;
        else if (!strcmp(f, "--start-probe")) a->probe = v;
        else if (!strcmp(f, "--iters")) rc = count_flag(f, v, 1, 100000, &a->iters);
        else if (!strcmp(f, "--repeats")) rc = count_flag(f, v, 1, 64, &a->repeats);
        else if (!strcmp(f, "--warmup")) rc = count_flag(f, v, 0, 100000, &a->warmup);
        else return cli_usage("unknown flag '%s' for bench; run `monoflow bench --help`", f);
        if (rc) return rc;
    }
    if (strcmp(a->config, "all") && strcmp(a->config, "toy") && strcmp(a->config, "image"))
        return cli_usage("--config wants toy, image or all, got '%s'", a->config);
    const char *outs[2] = {a->json, a->csv}, *names[2] = {"--json", "--csv"};
    for (int i = 0; i < 2; i++)
        if (outs[i] && !writable_dir_of(outs[i]))
            return cli_usage("%s: cannot write '%s' (its directory is missing or read-only)",
                             names[i], outs[i]);
    if (a->compare && access(a->compare, R_OK) != 0)
        return cli_usage("--compare: cannot read '%s'; give the --json file of an earlier run",
                         a->compare);
    mf_status st = a->compare ? report_check(a->compare) : MF_OK;
    return st == MF_OK ? 0 : cli_fail(st);
}

/* ---- data for the image configuration: 784-dim points in [-1, 1] in a temporary CSV ---- */

static void write_image_csv(FILE *f, void *user) {
    uint32_t x = 12345;
    for (int r = 0; r < 512; r++)
        for (int c = 0; c < 784; c++) {
            x = x * 1664525u + 1013904223u;
            fprintf(f, "%.3f%c", (x >> 8) / 8388608.0 - 1.0, c == 783 ? '\n' : ',');
        }
    (void)user;
}

static mf_status data_for(const char *config, char *spec, size_t cap, char *tmpdir) {
    if (!strcmp(config, "toy")) {
        snprintf(spec, cap, "ring8");
        return MF_OK;
    }
    char path[300];
    snprintf(path, sizeof path, "%s/image.csv", tmpdir);
    if (access(path, R_OK) != 0) MF_TRY_CLI(mf_write_atomic(path, write_image_csv, NULL));
    snprintf(spec, cap, "csv:%s", path);
    return MF_OK;
}

/* ---- the start probe: a child process that stops after the first iteration ---- */

static int probe(const char *device) {
    mf_ctx *ctx;
    mf_config cfg;
    int dim;
    mf_status st = mf_ctx_create(device, &ctx);
    if (st != MF_OK) return cli_fail(st);
    mf_bench_preset("toy", MF_MODE_FIT, 1, &cfg, &dim);
    mf_trainer t;
    st = mf_trainer_create(ctx, &cfg, &t);
    if (st == MF_OK) {
        st = mf_trainer_step(&t, 0);
        if (st == MF_OK) st = mf_ctx_finish(ctx);
        mf_trainer_destroy(&t);
    }
    mf_ctx_destroy(ctx);
    if (st != MF_OK) return cli_fail(st);
    printf("first iteration done\n");
    return 0;
}

static char self_path[1024];

/* wall seconds from starting the child to its "first iteration done" line */
static double run_probe(int index, const char *env) {
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "%s '%s' bench --start-probe %d", env, self_path, index);
    double t0 = mf_seconds();
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char line[256];
    double t = -1;
    while (fgets(line, sizeof line, p))
        if (!strncmp(line, "first iteration done", 20)) t = mf_seconds() - t0;
    return pclose(p) == 0 ? t : -1;
}

/* cold: empty PoCL, NVIDIA and monoflow kernel caches (the device's tuning file copied in,
 * since tuning is a setting, not a cache); warm: the second of two runs on the real caches */
static void start_times(rep_device *d, int index, const mf_device_info *dev, char *tmpdir) {
    char env[1200], tune[700], dst[400], cmd[1200];
    snprintf(env, sizeof env, "POCL_CACHE_DIR='%s/pocl' MONOFLOW_CACHE_DIR='%s/mf' "
             "CUDA_CACHE_DISABLE=1", tmpdir, tmpdir);
    if (mf_tune_path(dev, tune, sizeof tune) == MF_OK && access(tune, R_OK) == 0) {
        snprintf(dst, sizeof dst, "%s/mf/clblast", tmpdir);
        mf_mkdirs(dst);
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/'", tune, dst);
        if (system(cmd) != 0) return;
    }
    d->cold_s = run_probe(index, env);
    run_probe(index, "");
    d->warm_s = run_probe(index, "");
    d->have_start = d->cold_s > 0 && d->warm_s > 0;
    snprintf(cmd, sizeof cmd, "rm -rf '%s/pocl' '%s/mf'", tmpdir, tmpdir);
    if (system(cmd) != 0) d->have_start = 0;
}

/* ---- GEMM shapes and iterations ---- */

static const char *configs[] = {"toy", "image"};
static const struct { int mode, k; } modes[] = {
    {MF_MODE_ONE_STEP, 1}, {MF_MODE_FIT, 1}, {MF_MODE_FIT, 5}, {MF_MODE_FLOW, 1}};

static mf_status bench_gemm(mf_ctx *ctx, const char *config, const bench_args *a,
                            rep_device *d) {
    mf_gemm_shape all[MF_SHAPES_MAX], s[MF_SHAPES_MAX];
    int n = 0;
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        mf_config cfg;
        int dim;
        MF_TRY_CLI(mf_bench_preset(config, modes[m].mode, 1, &cfg, &dim));
        int k = mf_shapes_of_config(&cfg, dim, s, MF_SHAPES_MAX);
        n = mf_shapes_merge(all, n, s, k, MF_SHAPES_MAX);
    }
    for (int i = 0; i < n; i++) all[i].count = 1; /* one product per timing, every shape */
    mf_tune_bench *b;
    MF_TRY_CLI(mf_tune_bench_create(ctx, all, n, &b));
    double total, med[MF_SHAPES_MAX], lo[MF_SHAPES_MAX], hi[MF_SHAPES_MAX];
    mf_status st = mf_tune_bench_spread(b, a->repeats, &total, med, lo, hi);
    mf_tune_bench_destroy(b);
    for (int i = 0; st == MF_OK && i < n && d->n_gemm < REP_MAX_GEMM; i++) {
        rep_gemm *g = &d->gemm[d->n_gemm++];
        double gf = mf_shape_flops(&all[i]) * 1e-9;
        snprintf(g->config, sizeof g->config, "%s", config);
        snprintf(g->what, sizeof g->what, "%s", all[i].what);
        g->m = all[i].m, g->n = all[i].n, g->k = all[i].k;
        g->gflops = gf / med[i], g->gf_lo = gf / hi[i], g->gf_hi = gf / lo[i];
    }
    return st;
}

static mf_status bench_iters(mf_ctx *ctx, const char *config, const bench_args *a,
                             char *tmpdir, rep_device *d) {
    for (size_t m = 0; m < sizeof modes / sizeof *modes && d->n_iter < REP_MAX_ITER; m++) {
        mf_config cfg;
        int dim;
        MF_TRY_CLI(mf_bench_preset(config, modes[m].mode, modes[m].k, &cfg, &dim));
        MF_TRY_CLI(data_for(config, cfg.data, sizeof cfg.data, tmpdir));
        rep_iter *r = &d->iter[d->n_iter];
        snprintf(r->config, sizeof r->config, "%s", config);
        snprintf(r->mode, sizeof r->mode, "%s", mf_mode_name(cfg.mode));
        r->k = cfg.mode == MF_MODE_FIT ? cfg.k : 1;
        fprintf(stderr, "  %s %s K=%d ...\n", config, r->mode, r->k);
        if (a->profile) printf("\n%s %s K=%d, device time of one iteration by kernel:\n",
                               config, r->mode, r->k);
        MF_TRY_CLI(mf_bench_iterations(ctx, &cfg, a->warmup, a->repeats, a->iters, &r->it,
                                       a->profile ? stdout : NULL));
        d->n_iter++;
    }
    return MF_OK;
}

static mf_status bench_device(const mf_device_info *info, const bench_args *a, char *tmpdir,
                              rep_device *d) {
    char spec[16];
    snprintf(spec, sizeof spec, "%d", info->index);
    snprintf(d->name, sizeof d->name, "%s", info->name);
    snprintf(d->platform, sizeof d->platform, "%s", info->platform_name);
    snprintf(d->driver, sizeof d->driver, "%s", info->driver_version);
    snprintf(d->type, sizeof d->type, "%s", mf_device_type_str(info->type));
    fprintf(stderr, "[%d] %s\n", info->index, info->name);
    if (a->start) start_times(d, info->index, info, tmpdir);
    mf_ctx *ctx;
    MF_TRY_CLI(mf_ctx_create(spec, &ctx));
    snprintf(d->tuning, sizeof d->tuning, "%s", mf_ctx_tuning(ctx));
    mf_status st = MF_OK;
    for (int c = 0; c < 2 && st == MF_OK; c++) {
        if (strcmp(a->config, "all") && strcmp(a->config, configs[c])) continue;
        st = bench_iters(ctx, configs[c], a, tmpdir, d);
        if (st == MF_OK) st = bench_gemm(ctx, configs[c], a, d);
    }
    mf_ctx_destroy(ctx);
    return st;
}

/* ---- PyTorch ---- */

static int has_torch(const char *py) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "'%s' -c 'import torch' >/dev/null 2>&1", py);
    return system(cmd) == 0;
}

static const char *find_python(const bench_args *a) {
    if (a->python) return has_torch(a->python) ? a->python : NULL;
    const char *env = getenv("MONOFLOW_PYTHON");
    if (env && *env) return has_torch(env) ? env : NULL;
    if (has_torch("python3")) return "python3";
    if (has_torch("/usr/bin/python3")) return "/usr/bin/python3";
    return NULL;
}

static int torch_one(const char *py, const char *script, const char *config, const char *mode,
                     int k, const bench_args *a, rep_torch *t) {
    char cmd[1400], line[1024] = "";
    /* --threads 0: PyTorch at its fastest thread count */
    snprintf(cmd, sizeof cmd, "'%s' '%s' --config %s --mode %s --k %d --iters %d --repeats %d "
             "--warmup %d --threads 0", py, script, config, mode, k, a->iters, a->repeats,
             a->warmup);
    fprintf(stderr, "  PyTorch %s %s K=%d ...\n", config, mode, k);
    FILE *p = popen(cmd, "r");
    if (!p) return 0;
    if (!fgets(line, sizeof line, p)) line[0] = 0;
    int rc = pclose(p);
    cJSON *o = cJSON_Parse(line);
    const cJSON *ips = cJSON_GetObjectItemCaseSensitive(o, "it_per_s");
    int ok = rc == 0 && cJSON_IsNumber(ips);
    if (ok) {
        snprintf(t->config, sizeof t->config, "%s", config);
        snprintf(t->mode, sizeof t->mode, "%s", mode);
        t->k = k;
        t->it_per_s = ips->valuedouble;
        t->sec_iter = cJSON_GetObjectItemCaseSensitive(o, "sec_per_iter")->valuedouble;
        t->sec_min = cJSON_GetObjectItemCaseSensitive(o, "sec_min")->valuedouble;
        t->sec_max = cJSON_GetObjectItemCaseSensitive(o, "sec_max")->valuedouble;
        t->threads = (int)cJSON_GetObjectItemCaseSensitive(o, "threads")->valuedouble;
        const cJSON *fw = cJSON_GetObjectItemCaseSensitive(o, "framework");
        snprintf(t->framework, sizeof t->framework, "%s",
                 cJSON_IsString(fw) ? fw->valuestring : "pytorch");
    }
    cJSON_Delete(o);
    return ok;
}

static void bench_torch(const bench_args *a, bench_report *r) {
    char script[600];
    snprintf(script, sizeof script, "%s/bench/torch_iter.py", MF_SOURCE_DIR);
    const char *py = a->torch ? find_python(a) : NULL;
    if (!a->torch) snprintf(r->torch_note, sizeof r->torch_note, "--no-torch");
    else if (!py)
        snprintf(r->torch_note, sizeof r->torch_note,
                 "python3-torch is not installed: apt-get install python3-torch");
    else if (access(script, R_OK) != 0)
        snprintf(r->torch_note, sizeof r->torch_note, "%s is missing", script);
    if (*r->torch_note) return;
    for (int c = 0; c < 2; c++) {
        if (strcmp(a->config, "all") && strcmp(a->config, configs[c])) continue;
        for (int m = 0; m < 3 && r->n_torch < 8; m++) {
            const char *mode = modes[m].mode == MF_MODE_FIT ? "fit" : "one-step";
            if (torch_one(py, script, configs[c], mode, modes[m].k, a, &r->torch[r->n_torch]))
                r->n_torch++;
        }
    }
    if (!r->n_torch) snprintf(r->torch_note, sizeof r->torch_note, "%s failed", script);
}

/* ---- the whole run ---- */

static void describe_machine(bench_report *r, int argc, char **argv) {
    struct utsname u;
    char cpu[128] = "?";
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            snprintf(cpu, sizeof cpu, "%s", strchr(line, ':') + 2);
            cpu[strcspn(cpu, "\n")] = 0;
            break;
        }
    if (f) fclose(f);
    uname(&u);
    snprintf(r->machine, sizeof r->machine, "%s, %ld cores, %s %s", cpu,
             sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release);
    time_t t = time(NULL);
    strftime(r->date, sizeof r->date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    size_t len = (size_t)snprintf(r->command, sizeof r->command, "monoflow bench");
    for (int i = 0; i < argc && len < sizeof r->command; i++)
        len += (size_t)snprintf(r->command + len, sizeof r->command - len, " %s", argv[i]);
}

static int pick_devices(const bench_args *a, mf_device_info *out, int *n) {
    mf_device_info all[REP_MAX_DEV];
    mf_status st = mf_devices_list(all, REP_MAX_DEV, n);
    if (st != MF_OK) return cli_fail(st);
    if (!a->n_devices) {
        memcpy(out, all, sizeof(mf_device_info) * (size_t)*n);
        return 0;
    }
    for (int i = 0; i < a->n_devices; i++)
        if ((st = mf_device_select(a->devices[i], &out[i])) != MF_OK) return cli_fail(st);
    *n = a->n_devices;
    return 0;
}

static int run(const bench_args *a, bench_report *r) {
    mf_device_info devs[REP_MAX_DEV];
    int n, rc = pick_devices(a, devs, &n);
    if (rc) return rc;
    char tmpdir[] = "/tmp/monoflow-bench-XXXXXX";
    if (!mkdtemp(tmpdir)) return cli_usage("cannot make a temporary directory in /tmp");
    mf_status st = MF_OK;
    for (int i = 0; i < n && st == MF_OK; i++) {
        st = bench_device(&devs[i], a, tmpdir, &r->dev[i]);
        r->n_dev = i + 1;
    }
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "monoflow: could not remove %s\n", tmpdir);
    if (st != MF_OK) return cli_fail(st);
    bench_torch(a, r);
    report_print(r, stdout);
    if (a->compare && (st = report_compare(r, a->compare, stdout)) != MF_OK) return cli_fail(st);
    if (a->json && (st = report_write_json(r, a->json)) != MF_OK) return cli_fail(st);
    if (a->csv && (st = report_write_csv(r, a->csv)) != MF_OK) return cli_fail(st);
    return 0;
}

int cli_bench(int argc, char **argv) {
    bench_args a;
    int rc = parse(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    if (a.probe) return probe(a.probe);
    ssize_t len = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (len <= 0) return cli_usage("cannot find this program's path (/proc/self/exe)");
    self_path[len] = 0;
    bench_report *r = calloc(1, sizeof *r);
    if (!r) return cli_usage("out of host memory");
    describe_machine(r, argc, argv);
    r->repeats = a.repeats, r->iters = a.iters, r->warmup = a.warmup;
    rc = run(&a, r);
    free(r);
    return rc;
}
