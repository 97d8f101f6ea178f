#include "monoflow/runlog.h"

#include "monoflow/files.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

void mf_rundir_path(const char *dir, const char *name, char *out, size_t cap) {
    snprintf(out, cap, "%s/%s", dir, name);
}

static int holds_run(const char *dir) {
    const char *files[] = {"config.json", "metrics.jsonl", MF_CHECKPOINT_FILE};
    for (int i = 0; i < 3; i++) {
        char p[1100];
        mf_rundir_path(dir, files[i], p, sizeof p);
        if (access(p, F_OK) == 0) return 1;
    }
    return 0;
}

mf_status mf_rundir_create(const char *requested, char *out, size_t cap) {
    if (requested) {
        snprintf(out, cap, "%s", requested);
    } else {
        char stamp[32];
        time_t now = time(NULL);
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
        snprintf(out, cap, "runs/%s", stamp);
        for (int i = 2; access(out, F_OK) == 0 && i < 100; i++)
            snprintf(out, cap, "runs/%s-%d", stamp, i);
    }
    struct stat st;
    if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode))
        return mf_fail(MF_ERR_ARG, "--run-dir %s is a file, not a directory: choose another path",
                       out);
    if (stat(out, &st) == 0 && holds_run(out))
        return mf_fail(MF_ERR_ARG,
                       "run directory %s already holds a run: continue it with --resume %s, or "
                       "choose another --run-dir",
                       out, out);
    if (mf_mkdirs(out) != 0)
        return mf_fail(MF_ERR_IO, "cannot create run directory %s: %s", out, strerror(errno));
    char probe[1100];
    mf_rundir_path(out, ".write-test", probe, sizeof probe);
    FILE *f = fopen(probe, "w");
    if (!f)
        return mf_fail(MF_ERR_IO, "cannot write to run directory %s: %s", out, strerror(errno));
    fclose(f);
    remove(probe);
    return MF_OK;
}

typedef struct {
    const float *pts;
    size_t n;
    int dim;
} points_arg;

static void write_points(FILE *f, void *user) {
    const points_arg *a = user;
    for (size_t i = 0; i < a->n; i++)
        for (int j = 0; j < a->dim; j++)
            fprintf(f, "%.7g%c", a->pts[i * a->dim + j], j + 1 < a->dim ? ',' : '\n');
}

mf_status mf_write_points_csv(const char *path, const float *pts, size_t n, int dim) {
    points_arg a = {pts, n, dim};
    return mf_write_atomic(path, write_points, &a);
}

typedef struct {
    char *text;
    long keep_upto;
} log_filter;

static void write_kept(FILE *f, void *user) {
    const log_filter *lf = user;
    char *line = lf->text;
    while (line && *line) {
        char *eol = strchr(line, '\n');
        const char *it = strstr(line, "\"iter\":");
        long iter = it ? strtol(it + 7, NULL, 10) : 0;
        size_t len = eol ? (size_t)(eol - line) + 1 : strlen(line);
        if (iter <= lf->keep_upto) fwrite(line, 1, len, f);
        line += len;
    }
}

mf_status mf_metrics_open(const char *dir, long keep_upto, FILE **out) {
    char path[1100];
    mf_rundir_path(dir, "metrics.jsonl", path, sizeof path);
    if (keep_upto >= 0) {
        FILE *in = fopen(path, "r");
        if (in) {
            log_filter lf = {NULL, keep_upto};
            size_t cap = 0;
            ssize_t got = getdelim(&lf.text, &cap, 0, in);
            fclose(in);
            mf_status st = got >= 0 ? mf_write_atomic(path, write_kept, &lf) : MF_OK;
            free(lf.text);
            MF_TRY(st);
        }
    }
    *out = fopen(path, "a");
    if (!*out) return mf_fail(MF_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    return MF_OK;
}

void mf_metrics_write(FILE *f, const mf_train_stats *s, double it_per_s, double elapsed) {
    const struct {
        const char *key, *fmt;
        double v;
    } col[] = {{"d_loss", "%.6g", s->d_loss},       {"g_loss", "%.6g", s->g_loss},
               {"kl_pq", "%.6g", s->kl_pq},         {"kl_qp", "%.6g", s->kl_qp},
               {"d_real", "%.6g", s->d_real},       {"d_fake", "%.6g", s->d_fake},
               {"push_len", "%.6g", s->push_len},   {"it_per_s", "%.4g", it_per_s},
               {"t_d_ms", "%.4g", s->sec_d * 1e3},  {"t_push_ms", "%.4g", s->sec_push * 1e3},
               {"t_fit_ms", "%.4g", s->sec_fit * 1e3}, {"elapsed_s", "%.3f", elapsed}};
    fprintf(f, "{\"iter\":%ld", s->iteration);
    for (size_t i = 0; i < sizeof col / sizeof *col; i++) {
        fprintf(f, ",\"%s\":", col[i].key);
        /* JSON has no NaN or infinity: a diverged value is null */
        if (isfinite(col[i].v)) fprintf(f, col[i].fmt, col[i].v);
        else fputs("null", f);
    }
    fputs("}\n", f);
    fflush(f);
}
