/* monoflow train: flags from the configuration table, a run directory, progress, checkpoints,
 * resume, Ctrl-C. */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "monoflow/timing.h"
#include "monoflow/png.h"
#include "monoflow/checkpoint.h"
#include "monoflow/loss.h"
#include "monoflow/runlog.h"
#include "internal.h"
#include "live.h"
#include "run.h"

typedef struct {
    mf_config cfg;
    char set[64];          /* set[i]: field i was given on the command line */
    const char *run_dir, *resume, *device;
    int tui;               /* --tui: the live view in this process */
    mfv_opts view;
} train_args;

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig) { stop_requested = sig; }

static void print_help(void) {
    int n;
    const mf_field *f = mf_config_fields(&n);
    printf("usage: monoflow train [flags]\n\n"
           "Trains MonoFlow: the discriminator by the logistic loss, then (fit) the particles\n"
           "pushed by x + eps h'(D(x)) grad D(x) and the generator fitted to them by K\n"
           "least-squares steps, or (one-step) one generator step on -h(D(g(z))), or (flow)\n"
           "particles pushed directly.\n\nflags (default in brackets):\n");
    for (int i = 0; i < n; i++) {
        char flag[40];
        snprintf(flag, sizeof flag, "--%s", f[i].name);
        printf("  %-14s %s [%s]\n", flag, f[i].help, f[i].def);
    }
    printf("  %-14s %s\n", "--run-dir DIR", "where the run is written [runs/DATE-TIME]");
    printf("  %-14s %s\n", "--resume DIR", "continue the run in DIR from its checkpoint");
    printf("  %-14s %s\n", "--device SPEC", "index, gpu, cpu or a name [$MONOFLOW_DEVICE, else first GPU, else CPU]");
    printf("  %-14s %s\n", "--tui", "show the live view in this terminal (q hides it; the run goes on)");
    printf("  %-14s %s\n", "--ascii", "with --tui: ASCII drawing only (automatic without a UTF-8 locale)");
    printf("  %-14s %s\n", "--no-color", "with --tui: no colours");
    printf("  %-14s %s\n", "--rate N", "with --tui: frames per second at most [4]");
    printf("\nCtrl-C writes a checkpoint and stops (exit status 130); resume with --resume.\n");
}

/* returns -1 to go on, else an exit status */
static int parse(int argc, char **argv, train_args *a) {
    int n;
    const mf_field *fields = mf_config_fields(&n);
    mf_config_defaults(&a->cfg);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            print_help();
            return 0;
        }
        const char **dest = !strcmp(arg, "--run-dir")  ? &a->run_dir
                            : !strcmp(arg, "--resume") ? &a->resume
                            : !strcmp(arg, "--device") ? &a->device
                                                       : NULL;
        if (dest) {
            if (!(*dest = cli_value(argc, argv, &i))) return EXIT_USAGE;
            continue;
        }
        if (!strcmp(arg, "--tui")) {
            a->tui = 1;
            continue;
        }
        int v = mfv_opts_parse(&a->view, argc, argv, &i);
        if (v < 0) return EXIT_USAGE;
        if (v > 0) continue;
        char name[64];
        const char *eq = strchr(arg, '='), *value = NULL;
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (strncmp(arg, "--", 2) || len - 2 >= sizeof name)
            return cli_usage("unexpected argument '%s'; run `monoflow train --help`", arg);
        memcpy(name, arg + 2, len - 2);
        name[len - 2] = 0;
        const mf_field *f = mf_config_field(name);
        if (!f)
            return cli_usage("unknown flag '%.*s' for train; run `monoflow train --help` for "
                             "the list", (int)len, arg);
        if (eq) value = eq + 1;
        else if (!(value = cli_value(argc, argv, &i))) return EXIT_USAGE;
        mf_status st = mf_config_set(&a->cfg, f, value);
        if (st != MF_OK) return cli_fail(st);
        a->set[f - fields] = 1;
    }
    if (a->resume && a->run_dir)
        return cli_usage("--resume continues a run in its own directory; drop --run-dir");
    if (a->tui && (!isatty(fileno(stdout)) || !isatty(fileno(stdin))))
        return cli_usage("--tui needs a terminal; without one, watch the run with `monoflow "
                         "top RUNDIR` from another terminal");
    return -1;
}

/* the checkpoint's configuration with the flags given now on top; shapes may not change */
static int resume_config(train_args *a) {
    char path[1100];
    mf_rundir_path(a->resume, MF_CHECKPOINT_FILE, path, sizeof path);
    if (access(path, R_OK) != 0)
        return cli_usage("no checkpoint in %s (looked for %s): pass the directory of a run "
                         "that has written one", a->resume, path);
    mf_config saved, merged;
    mf_status st = mf_checkpoint_config(path, &saved);
    if (st != MF_OK) return cli_fail(st);
    merged = saved;
    int n;
    const mf_field *f = mf_config_fields(&n);
    for (int i = 0; i < n; i++)
        if (a->set[i]) {
            char v[600];
            mf_config_get(&a->cfg, &f[i], v, sizeof v);
            mf_config_set(&merged, &f[i], v);
        }
    const char *diff = mf_config_shape_diff(&saved, &merged);
    if (diff) {
        char was[600], now_v[600];
        const mf_field *df = mf_config_field(diff);
        mf_config_get(&saved, df, was, sizeof was);
        mf_config_get(&merged, df, now_v, sizeof now_v);
        return cli_usage("--%s cannot change when resuming: the checkpoint in %s has %s, the "
                         "flags ask for %s", diff, a->resume, was, now_v);
    }
    a->cfg = merged;
    return -1;
}

typedef struct {
    int tty;
    double t_start, t_last_print, t_last_log;
    long iter_last_log;
} progress;

static void print_progress(progress *p, const mf_config *c, const mf_train_stats *s,
                           double rate, int final) {
    double t = mf_seconds();
    if (!p->tty && !final && t - p->t_last_print < 2.0) return;
    p->t_last_print = t;
    double eta = rate > 0 ? (c->iters - s->iteration) / rate : 0;
    const char *gname = c->mode == MF_MODE_FIT ? "fit" : c->mode == MF_MODE_ONE_STEP ? "G" : "";
    printf("%siter %ld/%ld  %.1f it/s  D %.4f", p->tty ? "\r" : "", s->iteration, c->iters, rate,
           s->d_loss);
    if (*gname) printf("  %s %.5g", gname, s->g_loss);
    printf("  KL(p|q) %.3f  KL(q|p) %.3f  elapsed %.0fs  ETA %.0fs%s", s->kl_pq, s->kl_qp,
           t - p->t_start, eta, p->tty ? "\033[K" : "\n");
    if (final && p->tty) printf("\n");
    fflush(stdout);
}

/* the settings that shape this mode's update, for the first line of the run */
static void describe(const mf_config *c, char *buf, size_t cap) {
    int n = snprintf(buf, cap, "%s, h %s", mf_mode_name((mf_mode)c->mode),
                     mf_h_name((mf_h)c->h));
    if (c->mode != MF_MODE_ONE_STEP) n += snprintf(buf + n, cap - n, ", eps %g", c->eps);
    if (c->mode == MF_MODE_FIT) n += snprintf(buf + n, cap - n, ", K %d", c->k);
    if (c->mode != MF_MODE_FLOW) n += snprintf(buf + n, cap - n, ", lr-g %g", c->lr_g);
    if (c->g_ema > 0) snprintf(buf + n, cap - n, ", G avg %g", c->g_ema);
}

/* what a diverged run says: where, what is kept, what to do (after mf_fail's what) */
static mf_status diverged(const run_t *r, long ckpt_iter, const char *what) {
    char kept[64] = "no checkpoint was written";
    if (ckpt_iter >= 0)
        snprintf(kept, sizeof kept, "the checkpoint of iteration %ld is kept", ckpt_iter);
    const char *h_hint = r->tr.cfg.h == MF_H_JEFFREY ? " or pick an h that grows slower than e^d"
                                                     : "";
    return mf_fail(MF_ERR_DIVERGED,
                   "training diverged at iteration %ld (%s); %s: lower the learning rates%s",
                   r->tr.iter, what, kept, h_hint);
}

/* A loss that is NaN or infinite stays so: stop before a checkpoint keeps the broken weights. */
static mf_status check_finite(const run_t *r, const mf_train_stats *s, long ckpt_iter) {
    if (isfinite(s->d_loss) && isfinite(s->g_loss) && isfinite(s->kl_pq) && isfinite(s->kl_qp))
        return MF_OK;
    char what[96];
    snprintf(what, sizeof what, "D loss %g, %s loss %g", s->d_loss,
             r->tr.cfg.mode == MF_MODE_FIT ? "fit" : "G", s->g_loss);
    return diverged(r, ckpt_iter, what);
}

static mf_status save_all(run_t *r) {
    char path[1100], name[64];
    mf_rundir_path(r->dir, MF_CHECKPOINT_FILE, path, sizeof path);
    mf_status st = mf_checkpoint_save(&r->tr, path);
    if (st != MF_OK) return st;
    const mf_data *d = &r->tr.data;
    int images = d->kind == MF_DATA_IMAGES;
    size_t n = images ? 64 : (size_t)r->tr.cfg.samples; /* images: an 8 x 8 grid */
    if (!r->tr.has_g && n > (size_t)r->tr.n_fake) n = (size_t)r->tr.n_fake;
    float *pts = malloc(n * r->tr.dim * sizeof *pts);
    if (!pts) return mf_fail(MF_ERR_NOMEM, "out of memory writing samples");
    st = mf_trainer_generate(&r->tr, r->tr.cfg.seed + 7919, n, pts);
    snprintf(name, sizeof name, "samples-%06ld.%s", r->tr.iter, images ? "png" : "csv");
    mf_rundir_path(r->dir, name, path, sizeof path);
    if (st == MF_OK && images) st = mf_png_grid(path, pts, n, d->height, d->width, 8);
    else if (st == MF_OK) st = mf_write_points_csv(path, pts, n, r->tr.dim);
    free(pts);
    return st;
}

static void write_config(FILE *f, void *user) { mf_config_write_json(user, f); }

static mf_status checkpoint(run_t *r, live_t *l) {
    mf_status st = save_all(r);
    if (st == MF_ERR_DIVERGED) {
        char what[160];
        snprintf(what, sizeof what, "%s", mf_last_error());
        return diverged(r, l->snap.ckpt_iter, what);
    }
    MF_TRY(st);
    l->snap.ckpt_iter = r->tr.iter;
    live_event(l, "checkpoint written at iteration %ld", r->tr.iter);
    return MF_OK;
}

/* while paused: no iterations, the viewers' commands still carried out */
static mf_status paused(run_t *r, live_t *l) {
    MF_TRY(live_publish(l, r, 1));
    while (l->paused && !stop_requested) {
        usleep(50 * 1000);
        int cmd = live_commands(l, r);
        if (cmd == 2) MF_TRY(checkpoint(r, l));
        if (cmd) MF_TRY(live_publish(l, r, 1));
    }
    return MF_OK;
}

/* one iteration, its log line, its checkpoint, the viewers' commands */
static mf_status train_step(run_t *r, live_t *l, progress *p, FILE *log) {
    mf_trainer *t = &r->tr;
    const mf_config *c = &t->cfg;
    int cmd = live_commands(l, r);
    if (cmd == 2) MF_TRY(checkpoint(r, l));
    if (l->paused) return paused(r, l);
    long next = t->iter + 1;
    int log_now = next % c->log_every == 0 || next == c->iters;
    MF_TRY(mf_trainer_step(t, log_now));
    if (log_now) {
        mf_train_stats s;
        MF_TRY(mf_trainer_stats(t, &s));
        double tn = mf_seconds(), rate = (t->iter - p->iter_last_log) / (tn - p->t_last_log);
        p->t_last_log = tn;
        p->iter_last_log = t->iter;
        mf_metrics_write(log, &s, rate, tn - p->t_start);
        MF_TRY(check_finite(r, &s, l->snap.ckpt_iter));
        live_stats(l, &s, rate, tn - p->t_start);
        if (!l->tui || !mfv_live_showing(l->tui))
            print_progress(p, c, &s, rate, t->iter == c->iters);
    }
    if (t->iter % c->ckpt_every == 0 || t->iter == c->iters) MF_TRY(checkpoint(r, l));
    if (log_now || cmd) MF_TRY(live_publish(l, r, cmd != 0));
    return MF_OK;
}

/* Trains to the end or to Ctrl-C (*stopped); prints nothing, so the caller can give the
 * terminal back from the viewer before any message. */
static mf_status train_loop(run_t *r, FILE *log, live_t *l, int *stopped) {
    mf_trainer *t = &r->tr;
    progress p = {isatty(fileno(stdout)), mf_seconds(), 0, mf_seconds(), t->iter};
    mf_status st = live_publish(l, r, 1);
    while (st == MF_OK && t->iter < t->cfg.iters && !stop_requested) st = train_step(r, l, &p, log);
    *stopped = st == MF_OK && stop_requested;
    if (st != MF_OK) {
        l->snap.state = MF_RUN_FAILED;
        snprintf(l->snap.message, sizeof l->snap.message, "%.150s", mf_last_error());
        mf_snapshot_write(&l->snap, l->path); /* best effort: the error is what matters */
        return st;
    }
    if (*stopped) {
        MF_TRY(checkpoint(r, l));
        l->snap.state = MF_RUN_STOPPED;
    } else {
        l->snap.state = MF_RUN_FINISHED;
        live_event(l, "finished at iteration %ld", t->iter);
    }
    return live_publish(l, r, 1);
}

/* the finished run stays on screen until the user quits the view (or presses Ctrl-C) */
static void wait_for_viewer(live_t *l) {
    while (l->tui && mfv_live_showing(l->tui) && !stop_requested) usleep(50 * 1000);
}

int cli_train(int argc, char **argv) {
    train_args a;
    memset(&a, 0, sizeof a);
    mfv_opts_default(&a.view);
    int rc = parse(argc, argv, &a);
    if (rc < 0 && !a.resume) mf_config_context_defaults(&a.cfg, a.set);
    if (rc < 0 && a.resume) rc = resume_config(&a);
    if (rc >= 0) return rc;
    /* Ctrl-C goes to this thread alone: the OpenCL runtime's and the viewer's threads start
     * with SIGINT and SIGTERM blocked (they inherit the mask), so none is interrupted */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    run_t r;
    mf_status st = run_open(&r, &a.cfg, mf_device_spec(a.device));
    if (st == MF_OK && a.resume) {
        snprintf(r.dir, sizeof r.dir, "%s", a.resume);
        char path[1100];
        mf_rundir_path(a.resume, MF_CHECKPOINT_FILE, path, sizeof path);
        st = mf_checkpoint_load(&r.tr, path);
        if (st == MF_OK && r.tr.iter >= a.cfg.iters) {
            run_close(&r);
            return cli_usage("the run in %s already reached iteration %ld of %ld: pass "
                             "--iters with a larger total to continue it", a.resume, r.tr.iter,
                             a.cfg.iters);
        }
    } else if (st == MF_OK) {
        st = mf_rundir_create(a.run_dir, r.dir, sizeof r.dir);
    }
    char path[1100];
    mf_rundir_path(r.dir, "config.json", path, sizeof path);
    if (st == MF_OK) st = mf_write_atomic(path, write_config, &r.tr.cfg);
    FILE *log = NULL;
    if (st == MF_OK) st = mf_metrics_open(r.dir, a.resume ? r.tr.iter : -1, &log);
    if (st != MF_OK) {
        run_close(&r);
        return cli_fail(st);
    }
    const mf_device_info *d = mf_ctx_device(r.ctx);
    char what[160];
    describe(&a.cfg, what, sizeof what);
    printf("run %s: %s, data %s, on %s\n", r.dir, what, a.cfg.data, d->name);
    if (a.resume) printf("resumed at iteration %ld\n", r.tr.iter);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends the process at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    live_t *l = malloc(sizeof *l);
    if (!l) {
        fclose(log);
        run_close(&r);
        return cli_fail(mf_fail(MF_ERR_NOMEM, "out of memory"));
    }
    live_init(l, &r, a.resume != NULL);
    if (a.tui) l->tui = mfv_live_start(r.dir, &a.view);
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
    int stopped;
    st = train_loop(&r, log, l, &stopped);
    if (st == MF_OK && !stopped) wait_for_viewer(l);
    mfv_live_stop(l->tui); /* the terminal back before any message */
    free(l);
    fclose(log);
    if (st != MF_OK) {
        rc = cli_fail(st);
    } else if (stopped) {
        if (isatty(fileno(stdout))) printf("\n");
        printf("stopped at iteration %ld: checkpoint written; continue with `monoflow train "
               "--resume %s`\n", r.tr.iter, r.dir);
        rc = EXIT_INTERRUPTED;
    } else {
        rc = run_report(&r, stdout, 0, 2500, 0, a.cfg.seed + 104729);
    }
    if (rc == 0) printf("done: %s (evaluate again with `monoflow eval %s`)\n", r.dir, r.dir);
    run_close(&r);
    return rc;
}
