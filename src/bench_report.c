#include "bench_report.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/files.h"

static void print_iters(const rep_device *d, FILE *f) {
    fprintf(f, "  %-6s %-9s %2s %8s %22s %7s %7s %7s %6s %6s %9s\n", "config", "mode", "K",
            "it/s", "ms/iter (min..max)", "D ms", "push ms", "fit ms", "GEMM%", "GF/s",
            "memory");
    for (int i = 0; i < d->n_iter; i++) {
        const rep_iter *r = &d->iter[i];
        const mf_bench_iter *t = &r->it;
        char k[8] = "-";
        if (!strcmp(r->mode, "fit")) snprintf(k, sizeof k, "%d", r->k);
        char ms[40];
        snprintf(ms, sizeof ms, "%.2f (%.2f..%.2f)", t->sec_iter * 1e3, t->sec_min * 1e3,
                 t->sec_max * 1e3);
        fprintf(f, "  %-6s %-9s %2s %8.1f %22s %7.2f %7.2f %7.2f %5.1f%% %6.1f %5.1f MiB\n",
                r->config, r->mode, k, 1 / t->sec_iter, ms, t->sec_d * 1e3, t->sec_push * 1e3,
                t->sec_fit * 1e3, 100 * t->gemm_share, t->gemm_flops / t->sec_iter * 1e-9,
                t->bytes / 1048576.0);
    }
}

static void print_gemm(const rep_device *d, FILE *f) {
    fprintf(f, "  %-6s %-34s %16s %22s\n", "config", "product (first use)", "m x n x k",
            "GFLOP/s (min..max)");
    for (int i = 0; i < d->n_gemm; i++) {
        const rep_gemm *g = &d->gemm[i];
        char shape[32], gf[40];
        snprintf(shape, sizeof shape, "%dx%dx%d", g->m, g->n, g->k);
        snprintf(gf, sizeof gf, "%.1f (%.1f..%.1f)", g->gflops, g->gf_lo, g->gf_hi);
        fprintf(f, "  %-6s %-34s %16s %22s\n", g->config, g->what, shape, gf);
    }
}

static const rep_iter *find_iter(const rep_device *d, const char *config, const char *mode,
                                 int k) {
    for (int i = 0; i < d->n_iter; i++) {
        const rep_iter *r = &d->iter[i];
        if (!strcmp(r->config, config) && !strcmp(r->mode, mode) &&
            (strcmp(mode, "fit") || r->k == k))
            return r;
    }
    return NULL;
}

static void print_torch(const bench_report *r, FILE *f) {
    if (!r->n_torch) {
        fprintf(f, "\nPyTorch: skipped (%s)\n", r->torch_note);
        return;
    }
    fprintf(f, "\nPyTorch side by side (%s at its fastest thread count), same iteration "
               "and shapes:\n", r->torch[0].framework);
    for (int i = 0; i < r->n_torch; i++) {
        const rep_torch *t = &r->torch[i];
        fprintf(f, "  %-6s %-9s K=%d  PyTorch %7.1f it/s (%d thr)", t->config, t->mode, t->k,
                t->it_per_s, t->threads);
        /* the same products, so monoflow's count of their FLOPs holds for PyTorch too */
        const rep_iter *m0 = r->n_dev ? find_iter(&r->dev[0], t->config, t->mode, t->k) : NULL;
        if (m0 && m0->it.gemm_flops > 0)
            fprintf(f, " %6.1f GF/s", m0->it.gemm_flops * t->it_per_s * 1e-9);
        for (int d = 0; d < r->n_dev; d++) {
            const rep_iter *m = find_iter(&r->dev[d], t->config, t->mode, t->k);
            if (m)
                fprintf(f, "   [%d] %7.1f it/s = %.2fx", d, 1 / m->it.sec_iter,
                        1 / m->it.sec_iter / t->it_per_s);
        }
        fprintf(f, "\n");
    }
}

void report_print(const bench_report *r, FILE *f) {
    fprintf(f, "machine: %s\n", r->machine);
    for (int i = 0; i < r->n_dev; i++) {
        const rep_device *d = &r->dev[i];
        fprintf(f, "\n[%d] %s (%s, %s, driver %s)\n", i, d->name, d->type, d->platform,
                d->driver);
        fprintf(f, "  CLBlast GEMM: %s\n", *d->tuning ? d->tuning : "CLBlast's own parameters");
        if (d->have_start)
            fprintf(f, "  start to the first finished iteration (toy, fit K=1): cold %.2f s, "
                       "warm %.2f s\n", d->cold_s, d->warm_s);
        fprintf(f, "\n  training iterations, median of %d runs of %d after %d warm-up:\n",
                r->repeats, r->iters, r->warmup);
        print_iters(d, f);
        fprintf(f, "\n  GEMM at the training shapes, median of %d passes:\n", r->repeats);
        print_gemm(d, f);
    }
    print_torch(r, f);
}

/* ---- JSON ---- */

static cJSON *iter_json(const rep_iter *r) {
    cJSON *o = cJSON_CreateObject();
    const mf_bench_iter *t = &r->it;
    cJSON_AddStringToObject(o, "config", r->config);
    cJSON_AddStringToObject(o, "mode", r->mode);
    cJSON_AddNumberToObject(o, "k", r->k);
    cJSON_AddNumberToObject(o, "it_per_s", 1 / t->sec_iter);
    cJSON_AddNumberToObject(o, "sec_iter", t->sec_iter);
    cJSON_AddNumberToObject(o, "sec_min", t->sec_min);
    cJSON_AddNumberToObject(o, "sec_max", t->sec_max);
    cJSON_AddNumberToObject(o, "sec_d", t->sec_d);
    cJSON_AddNumberToObject(o, "sec_push", t->sec_push);
    cJSON_AddNumberToObject(o, "sec_fit", t->sec_fit);
    cJSON_AddNumberToObject(o, "gemm_share", t->gemm_share);
    cJSON_AddNumberToObject(o, "gemm_flops", t->gemm_flops);
    cJSON_AddNumberToObject(o, "bytes", (double)t->bytes);
    return o;
}

static cJSON *gemm_json(const rep_gemm *g) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "config", g->config);
    cJSON_AddStringToObject(o, "what", g->what);
    cJSON_AddNumberToObject(o, "m", g->m);
    cJSON_AddNumberToObject(o, "n", g->n);
    cJSON_AddNumberToObject(o, "k", g->k);
    cJSON_AddNumberToObject(o, "gflops", g->gflops);
    cJSON_AddNumberToObject(o, "gflops_min", g->gf_lo);
    cJSON_AddNumberToObject(o, "gflops_max", g->gf_hi);
    return o;
}

static cJSON *device_json(const rep_device *d) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", d->name);
    cJSON_AddStringToObject(o, "platform", d->platform);
    cJSON_AddStringToObject(o, "driver", d->driver);
    cJSON_AddStringToObject(o, "type", d->type);
    cJSON_AddStringToObject(o, "clblast_tuning", d->tuning);
    if (d->have_start) {
        cJSON_AddNumberToObject(o, "start_cold_s", d->cold_s);
        cJSON_AddNumberToObject(o, "start_warm_s", d->warm_s);
    }
    cJSON *it = cJSON_AddArrayToObject(o, "iterations");
    for (int i = 0; i < d->n_iter; i++) cJSON_AddItemToArray(it, iter_json(&d->iter[i]));
    cJSON *g = cJSON_AddArrayToObject(o, "gemm");
    for (int i = 0; i < d->n_gemm; i++) cJSON_AddItemToArray(g, gemm_json(&d->gemm[i]));
    return o;
}

static cJSON *report_json(const bench_report *r) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "machine", r->machine);
    cJSON_AddStringToObject(o, "date", r->date);
    cJSON_AddStringToObject(o, "command", r->command);
    cJSON_AddNumberToObject(o, "repeats", r->repeats);
    cJSON_AddNumberToObject(o, "iters", r->iters);
    cJSON_AddNumberToObject(o, "warmup", r->warmup);
    cJSON *devs = cJSON_AddArrayToObject(o, "devices");
    for (int i = 0; i < r->n_dev; i++) cJSON_AddItemToArray(devs, device_json(&r->dev[i]));
    cJSON *t = cJSON_AddArrayToObject(o, "pytorch");
    for (int i = 0; i < r->n_torch; i++) {
        const rep_torch *p = &r->torch[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "framework", p->framework);
        cJSON_AddStringToObject(e, "config", p->config);
        cJSON_AddStringToObject(e, "mode", p->mode);
        cJSON_AddNumberToObject(e, "k", p->k);
        cJSON_AddNumberToObject(e, "threads", p->threads);
        cJSON_AddNumberToObject(e, "it_per_s", p->it_per_s);
        cJSON_AddNumberToObject(e, "sec_iter", p->sec_iter);
        cJSON_AddNumberToObject(e, "sec_min", p->sec_min);
        cJSON_AddNumberToObject(e, "sec_max", p->sec_max);
        cJSON_AddItemToArray(t, e);
    }
    if (!r->n_torch) cJSON_AddStringToObject(o, "pytorch_skipped", r->torch_note);
    return o;
}

static void write_text(FILE *f, void *user) { fputs((const char *)user, f); }

mf_status report_write_json(const bench_report *r, const char *path) {
    cJSON *o = report_json(r);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text) return mf_fail(MF_ERR_NOMEM, "out of host memory writing %s", path);
    size_t len = strlen(text);
    char *with_nl = malloc(len + 2);
    mf_status st = mf_fail(MF_ERR_NOMEM, "out of host memory writing %s", path);
    if (with_nl) {
        memcpy(with_nl, text, len);
        memcpy(with_nl + len, "\n", 2);
        st = mf_write_atomic(path, write_text, with_nl);
    }
    free(with_nl);
    cJSON_free(text);
    return st;
}

/* ---- CSV: one figure per row ---- */

static void write_csv(FILE *f, void *user) {
    const bench_report *r = user;
    fprintf(f, "device,config,mode,k,product,metric,value\n");
    for (int i = 0; i < r->n_dev; i++) {
        const rep_device *d = &r->dev[i];
        if (d->have_start) {
            fprintf(f, "\"%s\",toy,fit,1,,start_cold_s,%.6g\n", d->name, d->cold_s);
            fprintf(f, "\"%s\",toy,fit,1,,start_warm_s,%.6g\n", d->name, d->warm_s);
        }
        for (int j = 0; j < d->n_iter; j++) {
            const rep_iter *t = &d->iter[j];
            const char *m[] = {"it_per_s", "sec_min", "sec_max",    "sec_d", "sec_push",
                               "sec_fit",  "gemm_share", "gemm_flops", "bytes"};
            double v[] = {1 / t->it.sec_iter, t->it.sec_min,    t->it.sec_max,
                          t->it.sec_d,        t->it.sec_push,   t->it.sec_fit,
                          t->it.gemm_share,   t->it.gemm_flops, (double)t->it.bytes};
            for (int x = 0; x < 9; x++)
                fprintf(f, "\"%s\",%s,%s,%d,,%s,%.6g\n", d->name, t->config, t->mode, t->k,
                        m[x], v[x]);
        }
        for (int j = 0; j < d->n_gemm; j++) {
            const rep_gemm *g = &d->gemm[j];
            fprintf(f, "\"%s\",%s,,,\"%s %dx%dx%d\",gflops,%.6g\n", d->name, g->config, g->what,
                    g->m, g->n, g->k, g->gflops);
        }
    }
    for (int i = 0; i < r->n_torch; i++) {
        const rep_torch *t = &r->torch[i];
        fprintf(f, "\"%s\",%s,%s,%d,,it_per_s,%.6g\n", t->framework, t->config, t->mode, t->k,
                t->it_per_s);
    }
}

mf_status report_write_csv(const bench_report *r, const char *path) {
    return mf_write_atomic(path, write_csv, (void *)r);
}

/* ---- --compare ---- */

static char *read_all(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[n] = 0;
    fclose(f);
    return buf;
}

static const char *str_of(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double num_of(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void change(FILE *f, const char *label, double old, double now, const char *unit) {
    if (old <= 0) return;
    fprintf(f, "  %-52s %10.3g -> %10.3g %-7s %+7.1f %%\n", label, old, now, unit,
            100 * (now / old - 1));
}

static const cJSON *old_device(const cJSON *old, const char *name) {
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(old, "devices"))
        if (!strcmp(str_of(d, "name"), name)) return d;
    return NULL;
}

static void compare_device(const rep_device *d, const cJSON *od, FILE *f) {
    char label[160];
    if (d->have_start) {
        change(f, "start, cold", num_of(od, "start_cold_s"), d->cold_s, "s");
        change(f, "start, warm", num_of(od, "start_warm_s"), d->warm_s, "s");
    }
    const cJSON *e;
    for (int i = 0; i < d->n_iter; i++) {
        const rep_iter *r = &d->iter[i];
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(od, "iterations")) {
            if (strcmp(str_of(e, "config"), r->config) || strcmp(str_of(e, "mode"), r->mode) ||
                (int)num_of(e, "k") != r->k)
                continue;
            snprintf(label, sizeof label, "%s %s K=%d", r->config, r->mode, r->k);
            change(f, label, num_of(e, "it_per_s"), 1 / r->it.sec_iter, "it/s");
        }
    }
    for (int i = 0; i < d->n_gemm; i++) {
        const rep_gemm *g = &d->gemm[i];
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(od, "gemm")) {
            if (strcmp(str_of(e, "config"), g->config) || (int)num_of(e, "m") != g->m ||
                (int)num_of(e, "n") != g->n || (int)num_of(e, "k") != g->k ||
                strcmp(str_of(e, "what"), g->what))
                continue;
            snprintf(label, sizeof label, "%s %dx%dx%d %s", g->config, g->m, g->n, g->k,
                     g->what);
            change(f, label, num_of(e, "gflops"), g->gflops, "GFLOP/s");
        }
    }
}

static mf_status load_old(const char *path, cJSON **out) {
    char *text = read_all(path);
    if (!text) return mf_fail(MF_ERR_IO, "cannot read %s: give the --json file of an earlier "
                                         "`monoflow bench`", path);
    cJSON *old = cJSON_Parse(text);
    free(text);
    if (!old || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(old, "devices"))) {
        cJSON_Delete(old);
        return mf_fail(MF_ERR_FORMAT, "%s is not a `monoflow bench --json` file", path);
    }
    *out = old;
    return MF_OK;
}

mf_status report_check(const char *path) {
    cJSON *old;
    mf_status st = load_old(path, &old);
    if (st == MF_OK) cJSON_Delete(old);
    return st;
}

mf_status report_compare(const bench_report *r, const char *path, FILE *f) {
    cJSON *old;
    mf_status st = load_old(path, &old);
    if (st != MF_OK) return st;
    fprintf(f, "\nchanges against %s (%s):\n", path, str_of(old, "date"));
    for (int i = 0; i < r->n_dev; i++) {
        const cJSON *od = old_device(old, r->dev[i].name);
        fprintf(f, "[%d] %s%s\n", i, r->dev[i].name, od ? "" : ": not in the old file");
        if (od) compare_device(&r->dev[i], od, f);
    }
    const cJSON *e;
    for (int i = 0; i < r->n_torch; i++) {
        const rep_torch *t = &r->torch[i];
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(old, "pytorch")) {
            if (strcmp(str_of(e, "config"), t->config) || strcmp(str_of(e, "mode"), t->mode))
                continue;
            char label[80];
            snprintf(label, sizeof label, "PyTorch %s %s K=%d", t->config, t->mode, t->k);
            change(f, label, num_of(e, "it_per_s"), t->it_per_s, "it/s");
        }
    }
    cJSON_Delete(old);
    return MF_OK;
}
