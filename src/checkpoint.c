#include "monoflow/checkpoint.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monoflow/files.h"
#include "monoflow/program.h"
#include "internal.h"

#define MAGIC "MFCKPT01"
#define FNV_OFFSET 1469598103934665603ULL
#define MAX_TENSORS 8

typedef struct {
    const char *name;
    mf_buf *buf;
} tensor_ref;

/* the tensors of a trainer, in file order */
static int tensors(mf_trainer *t, tensor_ref *out) {
    int n = 0;
    out[n++] = (tensor_ref){"d.params", &t->d.params};
    out[n++] = (tensor_ref){"d.adam.m", &t->opt_d.m};
    out[n++] = (tensor_ref){"d.adam.v", &t->opt_d.v};
    if (t->has_g) {
        out[n++] = (tensor_ref){"g.params", &t->g.params};
        out[n++] = (tensor_ref){"g.adam.m", &t->opt_g.m};
        out[n++] = (tensor_ref){"g.adam.v", &t->opt_g.v};
        if (t->g_avg.mem) out[n++] = (tensor_ref){"g.ema", &t->g_avg};
    } else {
        out[n++] = (tensor_ref){"particles", &t->particles};
    }
    return n;
}

/* a growable byte buffer */
typedef struct {
    unsigned char *p;
    size_t len, cap;
    int oom;
} bytes;

static void put(bytes *b, const void *data, size_t n) {
    if (b->oom) return;
    if (b->len + n > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 1 << 16);
        while (cap < b->len + n) cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put_u32(bytes *b, uint32_t v) { put(b, &v, 4); }
static void put_u64(bytes *b, uint64_t v) { put(b, &v, 8); }
static void put_text(bytes *b, const char *s) {
    put_u32(b, (uint32_t)strlen(s));
    put(b, s, strlen(s));
}

static char *config_text(const mf_config *cfg) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    mf_config_write_text(cfg, f);
    fclose(f);
    return text;
}

static int all_finite(const float *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

static mf_status serialise(mf_trainer *t, bytes *b) {
    char *cfg = config_text(&t->cfg), state[256];
    if (!cfg) return mf_fail(MF_ERR_NOMEM, "out of memory writing a checkpoint");
    snprintf(state, sizeof state, "iteration = %ld\nrng_counter = %llu\nadam_d = %ld\nadam_g = %ld\n",
             t->iter, (unsigned long long)t->rng.counter, t->opt_d.step,
             t->has_g ? t->opt_g.step : 0L);
    put(b, MAGIC, 8);
    put_u32(b, MF_CHECKPOINT_VERSION);
    put_text(b, cfg);
    put_text(b, state);
    free(cfg);
    tensor_ref ts[MAX_TENSORS];
    int n = tensors(t, ts);
    put_u32(b, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        put_text(b, ts[i].name);
        put_u64(b, ts[i].buf->n);
        float *tmp = malloc(ts[i].buf->n * sizeof(float));
        if (!tmp) return mf_fail(MF_ERR_NOMEM, "out of memory writing a checkpoint");
        mf_status st = mf_buf_read(t->ctx, ts[i].buf, 0, ts[i].buf->n, tmp);
        if (st == MF_OK && !all_finite(tmp, ts[i].buf->n))
            st = mf_fail(MF_ERR_DIVERGED, "%s holds NaN or infinite values", ts[i].name);
        if (st == MF_OK) put(b, tmp, ts[i].buf->n * sizeof(float));
        free(tmp);
        if (st != MF_OK) return st;
    }
    put_u64(b, mf_hash64(b->p, b->len, FNV_OFFSET));
    if (b->oom) return mf_fail(MF_ERR_NOMEM, "out of memory writing a checkpoint");
    return MF_OK;
}

mf_status mf_checkpoint_save(mf_trainer *t, const char *path) {
    bytes b = {0};
    mf_status st = serialise(t, &b);
    if (st != MF_OK) {
        free(b.p);
        return st;
    }
    st = mf_write_bytes_atomic(path, b.p, b.len);
    free(b.p);
    if (st != MF_OK) return st;
    return MF_OK;
}

/* ---- reading ---- */
typedef struct {
    const unsigned char *p;
    size_t len, at;
    const char *path;
} reader;

static int get(reader *r, void *out, size_t n) {
    if (r->at + n > r->len) return -1;
    memcpy(out, r->p + r->at, n);
    r->at += n;
    return 0;
}

static char *get_text(reader *r) {
    uint32_t n;
    if (get(r, &n, 4) || r->at + n > r->len) return NULL;
    char *s = malloc(n + 1);
    if (!s) return NULL;
    memcpy(s, r->p + r->at, n);
    s[n] = 0;
    r->at += n;
    return s;
}

static mf_status read_file(const char *path, unsigned char **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return mf_fail(MF_ERR_IO, "cannot read checkpoint %s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    *data = size > 0 ? malloc((size_t)size) : NULL;
    if (!*data || fread(*data, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(*data);
        *data = NULL;
        return mf_fail(MF_ERR_FORMAT, "checkpoint %s is empty or unreadable", path);
    }
    fclose(f);
    *len = (size_t)size;
    return MF_OK;
}

/* checks magic, version and hash; leaves r after the version */
static mf_status open_checked(const char *path, unsigned char **data, reader *r) {
    size_t len = 0;
    MF_TRY(read_file(path, data, &len));
    *r = (reader){*data, len, 0, path};
    char magic[8];
    uint32_t version = 0;
    if (get(r, magic, 8) || memcmp(magic, MAGIC, 8))
        return mf_fail(MF_ERR_FORMAT, "%s is not a monoflow checkpoint (bad magic)", path);
    if (get(r, &version, 4) || version != MF_CHECKPOINT_VERSION)
        return mf_fail(MF_ERR_FORMAT, "checkpoint %s has version %u; this monoflow reads version %d",
                       path, version, MF_CHECKPOINT_VERSION);
    uint64_t stored;
    if (len < 20 || (memcpy(&stored, *data + len - 8, 8), stored != mf_hash64(*data, len - 8, FNV_OFFSET)))
        return mf_fail(MF_ERR_FORMAT,
                       "checkpoint %s is corrupt or truncated (its checksum does not match)",
                       path);
    r->len = len - 8;
    return MF_OK;
}

mf_status mf_checkpoint_config(const char *path, mf_config *cfg) {
    unsigned char *data = NULL;
    reader r;
    mf_status st = open_checked(path, &data, &r);
    char *text = st == MF_OK ? get_text(&r) : NULL;
    if (st == MF_OK && !text) st = mf_fail(MF_ERR_FORMAT, "checkpoint %s is truncated", path);
    if (st == MF_OK) {
        mf_config_defaults(cfg);
        st = mf_config_read_text(cfg, text);
        if (st != MF_OK)
            st = mf_fail(MF_ERR_FORMAT, "checkpoint %s: %s", path, mf_last_error());
    }
    free(text);
    free(data);
    return st;
}

static mf_status load_state(mf_trainer *t, const char *state, const char *path) {
    long iter, ad, ag;
    unsigned long long ctr;
    if (sscanf(state, "iteration = %ld\nrng_counter = %llu\nadam_d = %ld\nadam_g = %ld", &iter,
               &ctr, &ad, &ag) != 4)
        return mf_fail(MF_ERR_FORMAT, "checkpoint %s: unreadable state block", path);
    t->iter = iter;
    t->rng.counter = ctr;
    t->opt_d.step = ad;
    if (t->has_g) t->opt_g.step = ag;
    return MF_OK;
}

static mf_status load_tensors(mf_trainer *t, reader *r) {
    tensor_ref ts[MAX_TENSORS];
    int n = tensors(t, ts);
    uint32_t count = 0;
    if (get(r, &count, 4) || (int)count != n)
        return mf_fail(MF_ERR_FORMAT, "checkpoint %s holds %u tensors, this run needs %d",
                       r->path, count, n);
    for (int i = 0; i < n; i++) {
        char *name = get_text(r);
        uint64_t len;
        int ok = name && !strcmp(name, ts[i].name) && !get(r, &len, 8);
        free(name);
        if (!ok || len != ts[i].buf->n)
            return mf_fail(MF_ERR_FORMAT, "checkpoint %s: tensor %s is missing or of another size",
                           r->path, ts[i].name);
        if (r->at + len * 4 > r->len)
            return mf_fail(MF_ERR_FORMAT, "checkpoint %s is truncated", r->path);
        MF_TRY(mf_buf_write(t->ctx, ts[i].buf, 0, len, (const float *)(r->p + r->at)));
        r->at += len * 4;
    }
    return MF_OK;
}

mf_status mf_checkpoint_load(mf_trainer *t, const char *path) {
    unsigned char *data = NULL;
    reader r;
    mf_status st = open_checked(path, &data, &r);
    char *cfg_text = st == MF_OK ? get_text(&r) : NULL;
    char *state = cfg_text ? get_text(&r) : NULL;
    if (st == MF_OK && !state) st = mf_fail(MF_ERR_FORMAT, "checkpoint %s is truncated", path);
    if (st == MF_OK) {
        mf_config saved;
        mf_config_defaults(&saved);
        st = mf_config_read_text(&saved, cfg_text);
        const char *diff = st == MF_OK ? mf_config_shape_diff(&saved, &t->cfg) : NULL;
        if (diff)
            st = mf_fail(MF_ERR_FORMAT,
                         "checkpoint %s was made with another --%s; a run cannot change its "
                         "shapes on resume",
                         path, diff);
    }
    if (st == MF_OK) st = load_state(t, state, path);
    if (st == MF_OK) st = load_tensors(t, &r);
    free(cfg_text);
    free(state);
    free(data);
    return st;
}

const char *mf_config_shape_diff(const mf_config *a, const mf_config *b) {
    int n;
    const mf_field *f = mf_config_fields(&n);
    char va[600], vb[600];
    for (int i = 0; i < n; i++) {
        if (!f[i].shape) continue;
        mf_config_get(a, &f[i], va, sizeof va);
        mf_config_get(b, &f[i], vb, sizeof vb);
        if (strcmp(va, vb)) return f[i].name;
    }
    return NULL;
}
