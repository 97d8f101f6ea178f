#include "monoflow/timing.h"
#include "monoflow/tune.h"

#include <clblast_c.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/files.h"
#include "monoflow/gemm.h"
#include "monoflow/rng.h"
#include "internal.h"

static const char *direct_names[MF_TP_COUNT] = {"WGD",  "MDIMCD", "NDIMCD", "MDIMAD", "NDIMBD",
                                                "KWID", "VWMD",   "VWND",   "PADA",   "PADB"};
static const char *indirect_names[MF_TX_COUNT] = {
    "GEMMK", "KREG", "KWG", "KWI", "MDIMA", "MDIMC", "MWG", "NDIMB",
    "NDIMC", "NWG",  "SA",  "SB",  "STRM",  "STRN",  "VWM", "VWN"};

/* The sampled spaces of CLBlast's own tuners: xgemm_direct's variation 2, and xgemm's
 * random-search space with GEMMK 0 (the kernel without register tiling along k). */
static const size_t direct_space[MF_TP_COUNT][4] = {
    {8, 16, 32, 64}, {8, 16, 32, 0}, {8, 16, 32, 0}, {8, 16, 32, 0}, {8, 16, 32, 0},
    {2, 8, 16, 0},   {1, 2, 4, 8},   {1, 2, 4, 8},   {0, 1, 0, 0},   {0, 1, 0, 0}};
static const int direct_n[MF_TP_COUNT] = {4, 3, 3, 3, 3, 3, 4, 4, 2, 2};
static const size_t indirect_space[MF_TX_COUNT][4] = {
    {0},           {1},           {16, 32},      {2},           {8, 16, 32},
    {8, 16, 32},   {16, 32, 64, 128}, {8, 16, 32}, {8, 16, 32}, {16, 32, 64, 128},
    {0, 1},        {0, 1},        {0, 1},        {0, 1},        {1, 2, 4, 8},
    {1, 2, 4, 8}};
static const int indirect_n[MF_TX_COUNT] = {1, 1, 2, 1, 3, 3, 4, 3, 3, 4, 2, 2, 2, 2, 4, 4};

typedef struct {
    const char *name;
    const char **params;
    int count;
    const size_t (*space)[4];
    const int *space_n;
} kernel_info;

static const kernel_info kernels[MF_TUNE_KERNELS] = {
    {"XgemmDirect", direct_names, MF_TP_COUNT, direct_space, direct_n},
    {"Xgemm", indirect_names, MF_TX_COUNT, indirect_space, indirect_n}};

const char *mf_tune_kernel_name(mf_tune_kernel k) {
    return k < MF_TUNE_KERNELS ? kernels[k].name : "?";
}
int mf_tune_count(mf_tune_kernel k) { return k < MF_TUNE_KERNELS ? kernels[k].count : 0; }
const char *mf_tune_param_name(mf_tune_kernel k, int i) {
    return i >= 0 && i < mf_tune_count(k) ? kernels[k].params[i] : "?";
}

static int multiple(size_t a, size_t b) { return b > 0 && a % b == 0; }

static int direct_valid(const size_t *v, size_t max_wg, size_t local_mem) {
    size_t wgd = v[MF_TP_WGD], mc = v[MF_TP_MDIMCD], nc = v[MF_TP_NDIMCD];
    size_t ma = v[MF_TP_MDIMAD], nb = v[MF_TP_NDIMBD];
    if (!multiple(wgd, v[MF_TP_KWID])) return 0;
    if (!multiple(wgd, mc * v[MF_TP_VWMD]) || !multiple(wgd, nc * v[MF_TP_VWND])) return 0;
    if (!multiple(wgd, ma * v[MF_TP_VWMD]) || !multiple(wgd, nb * v[MF_TP_VWND])) return 0;
    if (!multiple(mc * nc, ma) || !multiple(mc * nc, nb)) return 0;
    if (!multiple(wgd, mc * nc / ma) || !multiple(wgd, mc * nc / nb)) return 0;
    if (mc * nc > max_wg) return 0;
    size_t bytes = sizeof(float) * (wgd * (wgd + v[MF_TP_PADA]) + wgd * (wgd + v[MF_TP_PADB]));
    return bytes <= local_mem;
}

static int indirect_valid(const size_t *v, size_t max_wg, size_t local_mem) {
    size_t mwg = v[MF_TX_MWG], nwg = v[MF_TX_NWG], kwg = v[MF_TX_KWG];
    size_t mc = v[MF_TX_MDIMC], nc = v[MF_TX_NDIMC], ma = v[MF_TX_MDIMA], nb = v[MF_TX_NDIMB];
    size_t vm = v[MF_TX_VWM], vn = v[MF_TX_VWN];
    if (v[MF_TX_GEMMK] != 0 || v[MF_TX_KREG] != 1) return 0; /* the other kernel's rules differ */
    if (!multiple(kwg, v[MF_TX_KWI])) return 0;
    if (!multiple(mwg, mc * vm) || !multiple(nwg, nc * vn)) return 0;
    if (!multiple(mwg, ma * vm) || !multiple(nwg, nb * vn)) return 0;
    if (!multiple(mc * nc, ma) || !multiple(mc * nc, nb)) return 0;
    if (!multiple(kwg, mc * nc / ma) || !multiple(kwg, mc * nc / nb)) return 0;
    if (mc * nc > max_wg) return 0;
    size_t bytes = sizeof(float) * (v[MF_TX_SA] * kwg * mwg + v[MF_TX_SB] * kwg * nwg);
    return bytes <= local_mem;
}

int mf_tune_valid(const mf_tune_params *p, size_t max_wg, size_t local_mem) {
    if (p->kernel == MF_TUNE_DIRECT) return direct_valid(p->v, max_wg, local_mem);
    if (p->kernel == MF_TUNE_INDIRECT) return indirect_valid(p->v, max_wg, local_mem);
    return 0;
}

mf_status mf_tune_space(mf_tune_kernel k, size_t max_wg, size_t local_mem,
                        unsigned long long seed, mf_tune_params **out, int *n) {
    const kernel_info *ki = &kernels[k];
    long total = 1;
    for (int i = 0; i < ki->count; i++) total *= ki->space_n[i];
    mf_tune_params *all = NULL;
    int count = 0, cap = 0;
    for (long idx = 0; idx < total; idx++) {
        mf_tune_params p = {k, {0}};
        long r = idx;
        for (int i = 0; i < ki->count; i++) {
            p.v[i] = ki->space[i][r % ki->space_n[i]];
            r /= ki->space_n[i];
        }
        if (!mf_tune_valid(&p, max_wg, local_mem)) continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 1024;
            mf_tune_params *grown = realloc(all, sizeof *all * (size_t)cap);
            if (!grown) {
                free(all);
                return mf_fail(MF_ERR_NOMEM, "out of host memory for the tuning space");
            }
            all = grown;
        }
        all[count++] = p;
    }
    /* Fisher-Yates with the project's counter-based generator: the same order every time */
    for (int i = count - 1; i > 0; i--) {
        uint32_t r[4];
        mf_philox4x32_10(seed, (uint64_t)i, r);
        int j = (int)(r[0] % (uint32_t)(i + 1));
        mf_tune_params t = all[i];
        all[i] = all[j];
        all[j] = t;
    }
    *out = all;
    *n = count;
    return MF_OK;
}

void mf_tune_format(const mf_tune_params *p, char *buf, size_t cap) {
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < mf_tune_count(p->kernel) && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s=%zu", i ? " " : "",
                                mf_tune_param_name(p->kernel, i), p->v[i]);
}

void mf_tuning_format(const mf_tuning *t, char *buf, size_t cap) {
    char d[256], x[320];
    mf_tune_format(&t->direct, d, sizeof d);
    if (!t->indirect_on) {
        snprintf(buf, cap, "%s", d);
        return;
    }
    mf_tune_format(&t->indirect, x, sizeof x);
    snprintf(buf, cap, "%s; from %zu^3 indirect %s", d, t->min_indirect, x);
}

mf_status mf_tune_parse(mf_tune_kernel k, const char *text, mf_tune_params *p) {
    int n = mf_tune_count(k), seen[MF_TUNE_MAX] = {0};
    const char *s = text;
    p->kernel = k;
    while (*s) {
        while (*s == ' ' || *s == '\t') s++;
        if (!*s || *s == '\n') break;
        char word[32];
        size_t len = strcspn(s, " \t\n");
        if (len >= sizeof word) len = sizeof word - 1;
        memcpy(word, s, len);
        word[len] = 0;
        s += strcspn(s, " \t\n");
        char *eq = strchr(word, '=');
        int i = 0;
        if (eq) {
            *eq = 0;
            for (; i < n && strcmp(word, mf_tune_param_name(k, i)); i++) {}
        }
        char *end = NULL;
        unsigned long v = eq && i < n ? strtoul(eq + 1, &end, 10) : 0;
        if (!eq || i == n || end == eq + 1 || *end)
            return mf_fail(MF_ERR_FORMAT, "unknown tuning parameter '%s%s%s'", word,
                           eq ? "=" : "", eq ? eq + 1 : "");
        p->v[i] = v;
        seen[i] = 1;
    }
    for (int i = 0; i < n; i++)
        if (!seen[i])
            return mf_fail(MF_ERR_FORMAT, "tuning parameter %s is missing",
                           mf_tune_param_name(k, i));
    return MF_OK;
}

mf_status mf_tune_override(mf_ctx *ctx, const mf_tune_params *p) {
    int n = mf_tune_count(p->kernel);
    const char *names[MF_TUNE_MAX];
    for (int i = 0; i < n; i++) names[i] = mf_tune_param_name(p->kernel, i);
    const char *kernel = mf_tune_kernel_name(p->kernel);
    CLBlastStatusCode s = CLBlastOverrideParameters(ctx->dev.device, kernel,
                                                    CLBlastPrecisionSingle, (size_t)n, names,
                                                    p->v);
    if (s != CLBlastSuccess)
        return mf_fail(MF_ERR_CLBLAST, "CLBlast refused the %s parameters (status %d)", kernel,
                       (int)s);
    mf_gemm_forget_needs(ctx); /* the tile sizes set the scratch a product needs */
    return MF_OK;
}

mf_status mf_tune_indirect_from(mf_ctx *ctx, size_t size) {
    const char *name = "XGEMM_MIN_INDIRECT_SIZE";
    CLBlastStatusCode s = CLBlastOverrideParameters(ctx->dev.device, "GemmRoutine",
                                                    CLBlastPrecisionSingle, 1, &name, &size);
    if (s != CLBlastSuccess)
        return mf_fail(MF_ERR_CLBLAST, "CLBlast refused XGEMM_MIN_INDIRECT_SIZE=%zu (status %d)",
                       size, (int)s);
    mf_gemm_forget_needs(ctx);
    return MF_OK;
}

mf_status mf_tune_apply(mf_ctx *ctx, const mf_tuning *t) {
    MF_TRY(mf_tune_override(ctx, &t->direct));
    if (!t->indirect_on) return MF_OK;
    MF_TRY(mf_tune_override(ctx, &t->indirect));
    return mf_tune_indirect_from(ctx, t->min_indirect);
}

mf_status mf_tune_path(const mf_device_info *dev, char *buf, size_t cap) {
    char dir[400], key[200];
    if (!mf_cache_dir(dir, sizeof dir))
        return mf_fail(MF_ERR_IO, "no cache directory: set MONOFLOW_CACHE_DIR or HOME");
    snprintf(key, sizeof key, "%s %s", dev->name, dev->driver_version);
    for (char *k = key; *k; k++)
        if (!isalnum((unsigned char)*k) && *k != '.' && *k != '-') *k = '_';
    snprintf(buf, cap, "%s/clblast/%s.txt", dir, key);
    return MF_OK;
}

/* one line of the file: "XgemmDirect ...", "Xgemm ..." or "GemmRoutine
 * XGEMM_MIN_INDIRECT_SIZE=N"; *which gets 0, 1 or 2 */
static mf_status parse_line(const char *line, mf_tuning *t, int *which) {
    for (int k = 0; k < MF_TUNE_KERNELS; k++) {
        size_t len = strlen(kernels[k].name);
        if (!strncmp(line, kernels[k].name, len) && line[len] == ' ') {
            *which = k;
            return mf_tune_parse((mf_tune_kernel)k, line + len + 1,
                                 k == MF_TUNE_DIRECT ? &t->direct : &t->indirect);
        }
    }
    const char *key = "GemmRoutine XGEMM_MIN_INDIRECT_SIZE=";
    char *end;
    if (strncmp(line, key, strlen(key)))
        return mf_fail(MF_ERR_FORMAT, "a line starts with neither XgemmDirect, Xgemm nor "
                                      "GemmRoutine");
    unsigned long v = strtoul(line + strlen(key), &end, 10);
    if (end == line + strlen(key) || (*end && *end != '\n') || v == 0)
        return mf_fail(MF_ERR_FORMAT, "XGEMM_MIN_INDIRECT_SIZE wants a positive number");
    t->min_indirect = v;
    *which = 2;
    return MF_OK;
}

mf_status mf_tune_load(const mf_device_info *dev, mf_tuning *t, int *found) {
    char path[700];
    *found = 0;
    memset(t, 0, sizeof *t);
    MF_TRY(mf_tune_path(dev, path, sizeof path));
    FILE *f = fopen(path, "r");
    if (!f) return MF_OK;
    char line[1024];
    int seen[3] = {0, 0, 0};
    mf_status st = MF_OK;
    while (st == MF_OK && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        int which = 0;
        if (parse_line(line, t, &which) != MF_OK)
            st = mf_fail(MF_ERR_FORMAT, "%s is malformed (%s): run `monoflow tune` again or "
                                        "delete it", path, mf_last_error());
        else seen[which] = 1;
    }
    fclose(f);
    if (st != MF_OK) return st;
    if (!seen[0])
        return mf_fail(MF_ERR_FORMAT, "%s holds no XgemmDirect line: run `monoflow tune` "
                                      "again or delete it", path);
    if (seen[1] != seen[2])
        return mf_fail(MF_ERR_FORMAT, "%s has %s without %s: run `monoflow tune` again or "
                                      "delete it", path, seen[1] ? "Xgemm" : "GemmRoutine",
                       seen[1] ? "GemmRoutine" : "Xgemm");
    t->indirect_on = seen[1];
    *found = 1;
    return MF_OK;
}

typedef struct {
    const mf_tuning *t;
    const char *note;
} save_args;

static void write_tuning(FILE *f, void *user) {
    save_args *a = user;
    char buf[400];
    fprintf(f, "# monoflow tune: CLBlast GEMM parameters for this device\n");
    if (a->note && *a->note) fprintf(f, "# %s\n", a->note);
    mf_tune_format(&a->t->direct, buf, sizeof buf);
    fprintf(f, "XgemmDirect %s\n", buf);
    if (!a->t->indirect_on) return;
    mf_tune_format(&a->t->indirect, buf, sizeof buf);
    fprintf(f, "Xgemm %s\n", buf);
    fprintf(f, "GemmRoutine XGEMM_MIN_INDIRECT_SIZE=%zu\n", a->t->min_indirect);
}

mf_status mf_tune_save(const mf_device_info *dev, const mf_tuning *t, const char *note) {
    char path[700];
    MF_TRY(mf_tune_path(dev, path, sizeof path));
    char *slash = strrchr(path, '/');
    *slash = 0;
    if (mf_mkdirs(path) != 0)
        return mf_fail(MF_ERR_IO, "cannot create the directory %s", path);
    *slash = '/';
    save_args a = {t, note};
    return mf_write_atomic(path, write_tuning, &a);
}

/* ---- timing the training shapes ---- */

struct mf_tune_bench {
    mf_ctx *ctx;
    const mf_gemm_shape *shapes;
    int n;
    mf_buf a, b, c;
    float *ref, *out;  /* reference results of every shape, concatenated; one shape's result */
    size_t max_c;
    int have_ref;
};

mf_status mf_tune_bench_create(mf_ctx *ctx, const mf_gemm_shape *shapes, int n,
                               mf_tune_bench **out) {
    mf_tune_bench *b = calloc(1, sizeof *b);
    if (!b) return mf_fail(MF_ERR_NOMEM, "out of host memory");
    b->ctx = ctx;
    b->shapes = shapes;
    b->n = n;
    size_t ma = 1, mb = 1, total = 0;
    for (int i = 0; i < n; i++) {
        const mf_gemm_shape *s = &shapes[i];
        if ((size_t)s->m * s->k > ma) ma = (size_t)s->m * s->k;
        if ((size_t)s->k * s->n > mb) mb = (size_t)s->k * s->n;
        if ((size_t)s->m * s->n > b->max_c) b->max_c = (size_t)s->m * s->n;
        total += (size_t)s->m * s->n;
    }
    mf_status st = mf_buf_alloc(ctx, ma, &b->a);
    if (st == MF_OK) st = mf_buf_alloc(ctx, mb, &b->b);
    if (st == MF_OK) st = mf_buf_alloc(ctx, b->max_c, &b->c);
    b->ref = malloc(sizeof(float) * (total ? total : 1));
    b->out = malloc(sizeof(float) * b->max_c);
    if (st == MF_OK && (!b->ref || !b->out)) st = mf_fail(MF_ERR_NOMEM, "out of host memory");
    mf_rng rng;
    mf_rng_init(&rng, 7);
    if (st == MF_OK) st = mf_rng_normal(ctx, &rng, &b->a, 0, ma, 0, 1);
    if (st == MF_OK) st = mf_rng_normal(ctx, &rng, &b->b, 0, mb, 0, 1);
    if (st != MF_OK) {
        mf_tune_bench_destroy(b);
        return st;
    }
    *out = b;
    return MF_OK;
}

void mf_tune_bench_destroy(mf_tune_bench *b) {
    if (!b) return;
    mf_buf_free(b->ctx, &b->a);
    mf_buf_free(b->ctx, &b->b);
    mf_buf_free(b->ctx, &b->c);
    free(b->ref);
    free(b->out);
    free(b);
}

static mf_status product(mf_tune_bench *b, const mf_gemm_shape *s) {
    /* leading dimensions of the stored (untransposed) matrices */
    mf_mat a = {&b->a, 0, (size_t)(s->ta ? s->m : s->k), s->ta};
    mf_mat m = {&b->b, 0, (size_t)(s->tb ? s->k : s->n), s->tb};
    return mf_gemm(b->ctx, (size_t)s->m, (size_t)s->n, (size_t)s->k, 1.0f, a, m, 0.0f, &b->c, 0,
                   (size_t)s->n);
}

/* runs every shape once and compares with (or records) the reference results */
static mf_status check_pass(mf_tune_bench *b) {
    size_t off = 0;
    for (int i = 0; i < b->n; i++) {
        const mf_gemm_shape *s = &b->shapes[i];
        size_t len = (size_t)s->m * s->n;
        MF_TRY(product(b, s));
        MF_TRY(mf_buf_read(b->ctx, &b->c, 0, len, b->out));
        float *ref = b->ref + off;
        if (!b->have_ref) memcpy(ref, b->out, sizeof(float) * len);
        for (size_t j = 0; b->have_ref && j < len; j++) {
            float d = b->out[j] - ref[j], scale = 1.0f + (ref[j] < 0 ? -ref[j] : ref[j]);
            if (!(d <= 1e-3f * scale && -d <= 1e-3f * scale))
                return mf_fail(MF_ERR_CLBLAST, "product %dx%dx%d differs from the reference "
                                               "at %zu: %g against %g", s->m, s->n, s->k, j,
                               (double)b->out[j], (double)ref[j]);
        }
        off += len;
    }
    b->have_ref = 1;
    return MF_OK;
}

mf_status mf_tune_bench_run(mf_tune_bench *b, int repeats, double *seconds,
                            double *shape_seconds) {
    return mf_tune_bench_spread(b, repeats, seconds, shape_seconds, NULL, NULL);
}

mf_status mf_tune_bench_spread(mf_tune_bench *b, int repeats, double *seconds, double *med,
                               double *lo, double *hi) {
    MF_TRY(check_pass(b));
    double total[64];
    if (repeats > 64) repeats = 64;
    for (int r = 0; r < repeats; r++) total[r] = 0;
    for (int i = 0; i < b->n; i++) {
        const mf_gemm_shape *s = &b->shapes[i];
        double t[64];
        for (int r = 0; r < repeats; r++) {
            MF_TRY(mf_ctx_finish(b->ctx));
            double t0 = mf_seconds();
            for (int c = 0; c < s->count; c++) MF_TRY(product(b, s));
            MF_TRY(mf_ctx_finish(b->ctx));
            t[r] = (mf_seconds() - t0) / s->count;
            total[r] += t[r] * s->count;
        }
        mf_spread(t, repeats, med ? &med[i] : NULL, lo ? &lo[i] : NULL, hi ? &hi[i] : NULL);
    }
    mf_spread(total, repeats, seconds, NULL, NULL);
    return MF_OK;
}
