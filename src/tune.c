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

static const char *names[MF_TP_COUNT] = {"WGD",  "MDIMCD", "NDIMCD", "MDIMAD", "NDIMBD",
                                         "KWID", "VWMD",   "VWND",   "PADA",   "PADB"};

/* the sampled space of CLBlast's own xgemm_direct tuner (variation 2) */
static const size_t space[MF_TP_COUNT][4] = {
    {8, 16, 32, 64}, {8, 16, 32, 0}, {8, 16, 32, 0}, {8, 16, 32, 0}, {8, 16, 32, 0},
    {2, 8, 16, 0},   {1, 2, 4, 8},   {1, 2, 4, 8},   {0, 1, 0, 0},   {0, 1, 0, 0}};
static const int space_n[MF_TP_COUNT] = {4, 3, 3, 3, 3, 3, 4, 4, 2, 2};

const char *mf_tune_param_name(int i) { return i >= 0 && i < MF_TP_COUNT ? names[i] : "?"; }

static int multiple(size_t a, size_t b) { return b > 0 && a % b == 0; }

int mf_tune_valid(const mf_tune_params *p, size_t max_wg, size_t local_mem) {
    const size_t *v = p->v;
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

mf_status mf_tune_space(size_t max_wg, size_t local_mem, unsigned long long seed,
                        mf_tune_params **out, int *n) {
    int total = 1;
    for (int i = 0; i < MF_TP_COUNT; i++) total *= space_n[i];
    mf_tune_params *all = malloc(sizeof *all * (size_t)total);
    if (!all) return mf_fail(MF_ERR_NOMEM, "out of host memory for the tuning space");
    int count = 0;
    for (int idx = 0; idx < total; idx++) {
        mf_tune_params p;
        int r = idx;
        for (int i = 0; i < MF_TP_COUNT; i++) {
            p.v[i] = space[i][r % space_n[i]];
            r /= space_n[i];
        }
        if (mf_tune_valid(&p, max_wg, local_mem)) all[count++] = p;
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
    for (int i = 0; i < MF_TP_COUNT && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s=%zu", i ? " " : "", names[i],
                                p->v[i]);
}

mf_status mf_tune_parse(const char *text, mf_tune_params *p) {
    int seen[MF_TP_COUNT] = {0};
    const char *s = text;
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
            for (; i < MF_TP_COUNT && strcmp(word, names[i]); i++) {}
        }
        char *end = NULL;
        unsigned long v = eq && i < MF_TP_COUNT ? strtoul(eq + 1, &end, 10) : 0;
        if (!eq || i == MF_TP_COUNT || end == eq + 1 || *end)
            return mf_fail(MF_ERR_FORMAT, "unknown tuning parameter '%s%s%s'", word,
                           eq ? "=" : "", eq ? eq + 1 : "");
        p->v[i] = v;
        seen[i] = 1;
    }
    for (int i = 0; i < MF_TP_COUNT; i++)
        if (!seen[i]) return mf_fail(MF_ERR_FORMAT, "tuning parameter %s is missing", names[i]);
    return MF_OK;
}

mf_status mf_tune_override(mf_ctx *ctx, const mf_tune_params *p) {
    const char *n[MF_TP_COUNT];
    size_t v[MF_TP_COUNT];
    for (int i = 0; i < MF_TP_COUNT; i++) n[i] = names[i], v[i] = p->v[i];
    CLBlastStatusCode s = CLBlastOverrideParameters(ctx->dev.device, "XgemmDirect",
                                                    CLBlastPrecisionSingle, MF_TP_COUNT, n, v);
    if (s != CLBlastSuccess)
        return mf_fail(MF_ERR_CLBLAST, "CLBlast refused the XgemmDirect parameters (status %d)",
                       (int)s);
    mf_gemm_forget_needs(ctx);
    return MF_OK;
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

mf_status mf_tune_load(const mf_device_info *dev, mf_tune_params *p, int *found) {
    char path[700];
    *found = 0;
    MF_TRY(mf_tune_path(dev, path, sizeof path));
    FILE *f = fopen(path, "r");
    if (!f) return MF_OK;
    char line[512];
    mf_status st = mf_fail(MF_ERR_FORMAT, "%s holds no parameter line: run `monoflow tune` "
                                          "again or delete it", path);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        if (strncmp(line, "XgemmDirect ", 12) || mf_tune_parse(line + 12, p) != MF_OK) {
            st = mf_fail(MF_ERR_FORMAT, "%s is malformed (%s): run `monoflow tune` again or "
                                        "delete it", path, mf_last_error());
            break;
        }
        st = MF_OK;
        *found = 1;
        break;
    }
    fclose(f);
    return st;
}

typedef struct {
    const mf_tune_params *p;
    const char *note;
} save_args;

static void write_tuning(FILE *f, void *user) {
    save_args *a = user;
    char buf[256];
    mf_tune_format(a->p, buf, sizeof buf);
    fprintf(f, "# monoflow tune: CLBlast XgemmDirect parameters for this device\n");
    if (a->note && *a->note) fprintf(f, "# %s\n", a->note);
    fprintf(f, "XgemmDirect %s\n", buf);
}

mf_status mf_tune_save(const mf_device_info *dev, const mf_tune_params *p, const char *note) {
    char path[700];
    MF_TRY(mf_tune_path(dev, path, sizeof path));
    char *slash = strrchr(path, '/');
    *slash = 0;
    if (mf_mkdirs(path) != 0)
        return mf_fail(MF_ERR_IO, "cannot create the directory %s", path);
    *slash = '/';
    save_args a = {p, note};
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
