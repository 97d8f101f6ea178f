/* The trainer's side of the live view: it keeps the run's snapshot, replaces
 * RUNDIR/snapshot.mfsn at most once a second (and on every change of state), hands it
 * to the in-process viewer, and carries out the commands viewers append to RUNDIR/control. */
#include "live.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "monoflow/runlog.h"
#include "internal.h"

static double wall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void copy(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* the metrics log's iterations up to the checkpoint, so a resumed run shows its whole past */
static void load_history(live_t *l, const char *dir) {
    char path[1100], line[1024];
    mf_rundir_path(dir, "metrics.jsonl", path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        mf_snap_row r;
        long it;
        if (sscanf(line, "{\"iter\":%ld,\"d_loss\":%f,\"g_loss\":%f,\"kl_pq\":%f,\"kl_qp\":%f",
                   &it, &r.d_loss, &r.g_loss, &r.kl_pq, &r.kl_qp) == 5) {
            r.iter = (float)it;
            mf_snapshot_add_row(&l->snap, &r);
        }
    }
    fclose(f);
}

void live_init(live_t *l, run_t *r, int resumed) {
    memset(l, 0, sizeof *l);
    mf_snapshot *s = &l->snap;
    const mf_config *c = &r->tr.cfg;
    const mf_device_info *d = mf_ctx_device(r->ctx);
    mf_snapshot_init(s);
    s->pid = getpid();
    copy(s->run_dir, sizeof s->run_dir, r->dir);
    copy(s->data, sizeof s->data, c->data);
    copy(s->mode, sizeof s->mode, mf_mode_name((mf_mode)c->mode));
    copy(s->h, sizeof s->h, mf_h_name((mf_h)c->h));
    s->k = c->k;
    s->g_ema = r->tr.g_avg.mem ? c->g_ema : 0;
    s->dim = r->tr.dim;
    s->has_g = r->tr.has_g;
    copy(s->device, sizeof s->device, d->name);
    copy(s->vendor, sizeof s->vendor, d->vendor);
    copy(s->device_type, sizeof s->device_type, mf_device_type_str(d->type));
    s->device_kind = (d->type & CL_DEVICE_TYPE_GPU) ? 1 : (d->type & CL_DEVICE_TYPE_CPU) ? 0 : 2;
    s->vendor_id = d->vendor_id;
    s->compute_units = d->compute_units;
    s->clock_mhz = d->max_clock_mhz;
    s->global_mem = d->global_mem;
    if (resumed) {
        load_history(l, r->dir);
        s->ckpt_iter = r->tr.iter;
    }
    mf_rundir_path(r->dir, MF_SNAPSHOT_FILE, l->path, sizeof l->path);
    mf_control_open(&l->ctl, r->dir);
}

void live_stats(live_t *l, const mf_train_stats *st, double rate, double elapsed) {
    mf_snapshot *s = &l->snap;
    s->d_loss = st->d_loss;
    s->g_loss = st->g_loss;
    s->kl_pq = st->kl_pq;
    s->kl_qp = st->kl_qp;
    s->d_real = st->d_real;
    s->d_fake = st->d_fake;
    s->push_len = st->push_len;
    s->ms_d = st->sec_d * 1e3;
    s->ms_push = st->sec_push * 1e3;
    s->ms_fit = st->sec_fit * 1e3;
    s->gemm_gflops = st->gemm_gflops;
    s->it_per_s = rate;
    s->elapsed = elapsed;
    mf_snap_row row = {(float)st->iteration, (float)st->d_loss, (float)st->g_loss,
                       (float)st->kl_pq, (float)st->kl_qp};
    mf_snapshot_add_row(s, &row);
}

mf_status live_publish(live_t *l, run_t *r, int force) {
    double t = wall();
    if (!force && t - l->t_written < 1.0) return MF_OK;
    mf_snapshot *s = &l->snap;
    s->t_update = t;
    s->iter = r->tr.iter;
    s->iters = r->tr.cfg.iters;
    s->eps = r->tr.eps;
    s->bytes_held = mf_ctx_bytes_held(r->ctx);
    MF_TRY(mf_trainer_snapshot(&r->tr, s));
    MF_TRY(mf_snapshot_write(s, l->path));
    if (l->tui) mfv_live_publish(l->tui, s);
    l->t_written = t;
    return MF_OK;
}

void live_event(live_t *l, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->snap.message, sizeof l->snap.message, fmt, ap);
    va_end(ap);
}

/* one command line from a viewer; unknown ones are reported in the snapshot, not fatal */
static void command(live_t *l, run_t *r, const char *cmd, int *save) {
    mf_config *c = &r->tr.cfg;
    l->snap.commands++;
    if (!strcmp(cmd, "pause")) {
        l->paused = 1;
        live_event(l, "paused at iteration %ld", r->tr.iter);
    } else if (!strcmp(cmd, "resume")) {
        l->paused = 0;
        live_event(l, "resumed at iteration %ld", r->tr.iter);
    } else if (!strcmp(cmd, "save")) {
        *save = 1;
    } else if ((!strcmp(cmd, "eps-up") || !strcmp(cmd, "eps-down")) &&
               c->mode == MF_MODE_ONE_STEP) {
        live_event(l, "one-step has no push step: eps unchanged");
    } else if (!strcmp(cmd, "eps-up") || !strcmp(cmd, "eps-down")) {
        float f = cmd[4] == 'u' ? 1.25f : 0.8f;
        if (c->eps * f >= 1e-8f && c->eps * f <= 100) c->eps *= f;
        /* the schedule scales with the base step; this iteration's step shows at once */
        r->tr.eps = (float)(c->eps * mf_lr_factor(c->lr_decay, c->eps_end, r->tr.iter, c->iters));
        live_event(l, "eps now %.4g", r->tr.eps);
    } else {
        live_event(l, "unknown command '%.40s' ignored", cmd);
    }
}

int live_commands(live_t *l, run_t *r) {
    char cmd[64];
    int save = 0, any = 0;
    while (mf_control_next(&l->ctl, cmd, sizeof cmd)) {
        command(l, r, cmd, &save);
        any = 1;
    }
    l->snap.state = l->paused ? MF_RUN_PAUSED : MF_RUN_RUNNING;
    return save ? 2 : any;
}
