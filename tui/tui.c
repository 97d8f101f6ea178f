/* The ncurses front-end: one loop that reads a snapshot (from the run directory or from the
 * trainer in the same process), draws it into a canvas, copies the canvas to the screen with
 * one doupdate() per frame, and waits for a key at most 1/rate seconds. Device status is
 * collected on its own thread so a slow source never freezes the drawing. */
#define NCURSES_WIDECHAR 1
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "devstat.h"
#include "monoflow/control.h"
#include "view.h"

void mfv_opts_default(mfv_opts *o) {
    o->ascii = 0;
    o->no_color = 0;
    o->rate = 4;
}

int mfv_opts_parse(mfv_opts *o, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (!strcmp(a, "--ascii")) return o->ascii = 1;
    if (!strcmp(a, "--no-color")) return o->no_color = 1;
    if (strcmp(a, "--rate")) return 0;
    char *end;
    double r = *i + 1 < argc ? strtod(argv[*i + 1], &end) : 0;
    if (*i + 1 >= argc || *end || !(r >= 0.2 && r <= 30)) {
        fprintf(stderr, "monoflow: --rate wants frames per second from 0.2 to 30, got '%s'\n",
                *i + 1 < argc ? argv[*i + 1] : "");
        return -1;
    }
    o->rate = r;
    (*i)++;
    return 1;
}

/* ---------------------------------------------------------------- device status thread */

typedef struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int started, quit, have;
    mfv_devstat stat;
    int kind;
    unsigned vendor;
    char name[128];
} collector;

static void *collect_main(void *arg) {
    collector *c = arg;
    mfv_devstat_src *src = mfv_devstat_open(c->kind, c->vendor, c->name, "");
    pthread_mutex_lock(&c->lock);
    while (!c->quit) {
        pthread_mutex_unlock(&c->lock);
        mfv_devstat d;
        mfv_devstat_sample(src, &d);
        pthread_mutex_lock(&c->lock);
        c->stat = d;
        c->have = 1;
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_sec += 1;
        pthread_cond_timedwait(&c->wake, &c->lock, &t);
    }
    pthread_mutex_unlock(&c->lock);
    mfv_devstat_close(src);
    return NULL;
}

static void collector_start(collector *c, const mf_snapshot *s) {
    if (c->started) return;
    c->kind = (int)s->device_kind;
    c->vendor = s->vendor_id;
    snprintf(c->name, sizeof c->name, "%s", s->device);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    c->started = pthread_create(&c->thread, NULL, collect_main, c) == 0;
}

static int collector_get(collector *c, mfv_devstat *out) {
    if (!c->started) return 0;
    pthread_mutex_lock(&c->lock);
    int have = c->have;
    if (have) *out = c->stat;
    pthread_mutex_unlock(&c->lock);
    return have;
}

static void collector_stop(collector *c) {
    if (!c->started) return;
    pthread_mutex_lock(&c->lock);
    c->quit = 1;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->wake);
    c->started = 0;
}

/* ---------------------------------------------------------------- snapshot sources */

struct mfv_live {
    pthread_t thread;
    pthread_mutex_t lock;
    mf_snapshot latest;
    unsigned long seq;       /* publishes so far */
    int showing, stop;
    char dir[1024];
    mfv_opts opts;
};

typedef struct {
    const char *dir;         /* attached: the run directory */
    mfv_live *live;          /* or inside the trainer */
    char path[1100];
    struct timespec mtime;
    unsigned long seq;
    int have;
    char error[200];         /* why the file could not be read, shown while there is none */
    mf_snapshot snap;
} source;

/* 1 when a new snapshot arrived */
static int source_poll(source *src) {
    if (src->live) {
        pthread_mutex_lock(&src->live->lock);
        int fresh = src->live->seq != src->seq;
        if (fresh) {
            src->snap = src->live->latest;
            src->seq = src->live->seq;
        }
        pthread_mutex_unlock(&src->live->lock);
        src->have |= fresh;
        return fresh;
    }
    struct stat st;
    if (stat(src->path, &st) != 0) return 0;
    if (src->have && st.st_mtim.tv_sec == src->mtime.tv_sec &&
        st.st_mtim.tv_nsec == src->mtime.tv_nsec)
        return 0; /* unchanged: no read */
    mf_snapshot s;
    if (mf_snapshot_read(src->path, &s) != MF_OK) {
        snprintf(src->error, sizeof src->error, "%s", mf_last_error());
        return 0;
    }
    src->error[0] = 0;
    src->snap = s;
    src->mtime = st.st_mtim;
    src->have = 1;
    return 1;
}

static int trainer_gone(const mf_snapshot *s) {
    if (s->state != MF_RUN_RUNNING && s->state != MF_RUN_PAUSED) return 0;
    return kill((pid_t)s->pid, 0) != 0 && errno == ESRCH;
}

/* ---------------------------------------------------------------- ncurses */

typedef struct {
    int color, colors256;
    short pair[MFV_COLORS + 1][MFV_COLORS + 1];
    short next_pair;
} screen;

static short term_color(const screen *sc, int logical) {
    static const short c256[MFV_COLORS] = {51, 245, 114, 213, 221, 203, 203, 114,
                                           /* heat: blue .. grey .. red */
                                           18, 25, 32, 73, 238, 137, 172, 166, 196,
                                           /* grey: black .. white */
                                           16, 235, 238, 241, 245, 249, 252, 231};
    static const short c8[MFV_COLORS] = {COLOR_CYAN, COLOR_WHITE, COLOR_GREEN, COLOR_MAGENTA,
                                         COLOR_YELLOW, COLOR_RED, COLOR_YELLOW, COLOR_GREEN,
                                         COLOR_BLUE, COLOR_BLUE, COLOR_CYAN, COLOR_CYAN,
                                         COLOR_BLACK, COLOR_YELLOW, COLOR_YELLOW, COLOR_RED,
                                         COLOR_RED, COLOR_BLACK, COLOR_BLACK, COLOR_BLACK,
                                         COLOR_BLACK, COLOR_WHITE, COLOR_WHITE, COLOR_WHITE,
                                         COLOR_WHITE};
    if (logical < 0) return -1;
    return sc->colors256 ? c256[logical] : c8[logical];
}

/* the pair number for a fg/bg combination, made on first use; 0 (default) when out of pairs */
static short pair_for(screen *sc, int fg, int bg) {
    if (!sc->color) return 0;
    short *p = &sc->pair[fg + 1][bg + 1];
    if (!*p && sc->next_pair < COLOR_PAIRS) {
        *p = sc->next_pair++;
        init_pair(*p, term_color(sc, fg), term_color(sc, bg));
    }
    return *p;
}

static void screen_open(screen *sc, const mfv_opts *o) {
    memset(sc, 0, sizeof *sc);
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    if (!o->no_color && has_colors()) {
        start_color();
        use_default_colors();
        sc->color = 1;
        sc->colors256 = COLORS >= 256;
        sc->next_pair = 1;
    }
}

static void blit(screen *sc, const mfv_canvas *c) {
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            const mfv_cell *cell = &c->cells[y * c->w + x];
            wchar_t wc[2] = {(wchar_t)cell->ch, 0};
            cchar_t cc;
            attr_t a = 0;
            if (cell->bold || cell->fg == MFV_C_TITLE) a |= A_BOLD;
            if (!sc->color && cell->fg == MFV_C_WARN) a |= A_REVERSE;
            setcchar(&cc, wc, a, pair_for(sc, cell->fg, cell->bg), NULL);
            mvadd_wch(y, x, &cc);
        }
}

static int utf8_locale(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

/* ---------------------------------------------------------------- the loop */

typedef struct {
    source src;
    collector coll;
    mfv_view view;
    mfv_opts opts;
    mfv_canvas canvas;
    time_t note_time;        /* when view.note was set */
    int note_commands;       /* the trainer's command count when a command was sent */
} viewer;

/* the viewer's own note gives way to the trainer's answer, or after a few seconds */
static void expire_note(viewer *v) {
    if (!v->view.note[0]) return;
    if ((v->note_commands >= 0 && v->src.snap.commands > v->note_commands) ||
        difftime(time(NULL), v->note_time) > 3)
        v->view.note[0] = 0;
}

static void steer(viewer *v, const char *cmd, const char *what) {
    const char *dir = v->src.live ? v->src.live->dir : v->src.dir;
    int st = v->src.snap.state;
    v->note_time = time(NULL);
    v->note_commands = -1;
    if (!v->src.have) {
        snprintf(v->view.note, sizeof v->view.note, "no snapshot yet: nothing to steer");
    } else if ((st != MF_RUN_RUNNING && st != MF_RUN_PAUSED) || v->view.trainer_gone) {
        snprintf(v->view.note, sizeof v->view.note, "the run is %s: nothing to steer",
                 v->view.trainer_gone ? "not running" : mf_run_state_name(st));
    } else if (mf_control_send(dir, cmd) != MF_OK) {
        snprintf(v->view.note, sizeof v->view.note, "%s", mf_last_error());
    } else {
        snprintf(v->view.note, sizeof v->view.note, "sent: %s", what);
        v->note_commands = v->src.snap.commands;
    }
}

/* 0 to go on, 1 to quit */
static int on_key(viewer *v, int key) {
    mfv_view *w = &v->view;
    if (w->help && key != KEY_RESIZE) {
        w->help = 0;
        return 0;
    }
    switch (key) {
    case 'q': case 'Q': case 27: return 1;
    case 'p': case 'P': {
        int paused = v->src.snap.state == MF_RUN_PAUSED;
        steer(v, paused ? "resume" : "pause", paused ? "resume" : "pause");
        break;
    }
    case 's': case 'S': steer(v, "save", "write a checkpoint"); break;
    case '+': case '=': steer(v, "eps-up", "eps x1.25"); break;
    case '-': case '_': steer(v, "eps-down", "eps x0.8"); break;
    case '\t': case KEY_RIGHT: case KEY_DOWN: w->focus = w->focus >= MFV_PANELS - 1 ? -1 : w->focus + 1; break;
    case KEY_BTAB: case KEY_LEFT: case KEY_UP: w->focus = w->focus < 0 ? MFV_PANELS - 1 : w->focus - 1; break;
    case 'r': case 'R': w->ratio = !w->ratio; break;
    case 'o': case 'O': w->overlay = !w->overlay; break;
    case '?': case 'h': w->help = 1; break;
    default: break;
    }
    return 0;
}

static void draw(viewer *v, screen *sc) {
    if (v->canvas.w != COLS || v->canvas.h != LINES) {
        mfv_canvas_free(&v->canvas);
        mfv_canvas_init(&v->canvas, COLS, LINES, v->opts.ascii);
    }
    if (!v->canvas.cells) return;
    if (!v->src.have) {
        mfv_canvas_clear(&v->canvas);
        mfv_printf(&v->canvas, 1, 1, COLS - 2, MFV_C_WARN,
                   "waiting for %s/%s (the trainer writes it at its first logged iteration)",
                   v->src.live ? v->src.live->dir : v->src.dir, MF_SNAPSHOT_FILE);
        if (v->src.error[0]) mfv_text(&v->canvas, 1, 2, COLS - 2, MFV_C_WARN, v->src.error);
        mfv_text(&v->canvas, 1, 4, COLS - 2, MFV_C_DIM, "q quits");
    } else {
        mfv_devstat d;
        int have = collector_get(&v->coll, &d);
        mfv_draw(&v->canvas, &v->src.snap, have ? &d : NULL, &v->view);
    }
    blit(sc, &v->canvas);
    wnoutrefresh(stdscr);
    doupdate();
}

static void run_loop(viewer *v) {
    screen sc;
    if (!utf8_locale()) v->opts.ascii = 1; /* box drawing would arrive as letters */
    screen_open(&sc, &v->opts);
    v->view.color = sc.color;
    v->view.focus = -1;
    int period = (int)(1000 / v->opts.rate);
    timeout(period);
    for (;;) {
        if (source_poll(&v->src)) collector_start(&v->coll, &v->src.snap);
        if (v->src.have) v->view.trainer_gone = v->src.dir && trainer_gone(&v->src.snap);
        expire_note(v);
        draw(v, &sc);
        int key = getch();
        if (v->src.live) {
            pthread_mutex_lock(&v->src.live->lock);
            int stop = v->src.live->stop;
            pthread_mutex_unlock(&v->src.live->lock);
            if (stop) break;
        }
        if (key != ERR && on_key(v, key)) break;
    }
    endwin();
    collector_stop(&v->coll);
    mfv_canvas_free(&v->canvas);
}

static int check_dir(const char *dir) {
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "monoflow: %s is not a directory: pass the run directory a `monoflow "
                        "train` writes (its --run-dir)\n", dir);
        return 2;
    }
    char p[1100];
    snprintf(p, sizeof p, "%s/config.json", dir);
    if (access(p, F_OK) != 0) {
        fprintf(stderr, "monoflow: %s holds no run (no config.json): pass the directory of a "
                        "run `monoflow train` started\n", dir);
        return 2;
    }
    return 0;
}

int mfv_top(const char *dir, const mfv_opts *o) {
    int rc = check_dir(dir);
    if (rc) return rc;
    if (!isatty(fileno(stdout)) || !isatty(fileno(stdin))) {
        fprintf(stderr, "monoflow: top needs a terminal; for logs and scripts use `monoflow "
                        "top %s --once`\n", dir);
        return 2;
    }
    viewer *v = calloc(1, sizeof *v);
    if (!v) return 1;
    v->opts = *o;
    v->src.dir = dir;
    snprintf(v->src.path, sizeof v->src.path, "%s/%s", dir, MF_SNAPSHOT_FILE);
    v->view.attached = 1;
    run_loop(v);
    free(v);
    return 0;
}

int mfv_once(const char *dir, const mfv_opts *o, FILE *out) {
    int rc = check_dir(dir);
    if (rc) return rc;
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, MF_SNAPSHOT_FILE);
    mf_snapshot *s = malloc(sizeof *s);
    if (!s) return 1;
    if (mf_snapshot_read(path, s) != MF_OK) {
        fprintf(stderr, "monoflow: %s\n", mf_last_error());
        free(s);
        return 1;
    }
    mfv_devstat d;
    mfv_devstat_src *src = mfv_devstat_open((int)s->device_kind, s->vendor_id, s->device, "");
    mfv_devstat_sample(src, &d);
    mfv_devstat_close(src);
    mfv_view v = {0};
    v.focus = -1;
    v.attached = 1;
    v.trainer_gone = trainer_gone(s);
    mfv_canvas c;
    int ascii = o->ascii || !utf8_locale();
    if (mfv_canvas_init(&c, 100, 36, ascii) == 0) {
        mfv_draw(&c, s, &d, &v);
        mfv_canvas_print(&c, out);
    }
    mfv_canvas_free(&c);
    fprintf(out, "state %s%s  iteration %lld of %lld  snapshot %.0f s old\n",
            mf_run_state_name(s->state), v.trainer_gone ? " (trainer not running)" : "",
            (long long)s->iter, (long long)s->iters, difftime(time(NULL), (time_t)s->t_update));
    free(s);
    return 0;
}

/* ---------------------------------------------------------------- inside the trainer */

static void *live_main(void *arg) {
    mfv_live *l = arg;
    viewer *v = calloc(1, sizeof *v);
    if (v) {
        v->opts = l->opts;
        v->src.live = l;
        run_loop(v);
        free(v);
    }
    pthread_mutex_lock(&l->lock);
    l->showing = 0;
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

mfv_live *mfv_live_start(const char *dir, const mfv_opts *o) {
    mfv_live *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    snprintf(l->dir, sizeof l->dir, "%s", dir);
    l->opts = *o;
    l->showing = 1;
    pthread_mutex_init(&l->lock, NULL);
    if (pthread_create(&l->thread, NULL, live_main, l) != 0) {
        pthread_mutex_destroy(&l->lock);
        free(l);
        return NULL;
    }
    return l;
}

void mfv_live_publish(mfv_live *l, const mf_snapshot *s) {
    pthread_mutex_lock(&l->lock);
    l->latest = *s;
    l->seq++;
    pthread_mutex_unlock(&l->lock);
}

int mfv_live_showing(mfv_live *l) {
    pthread_mutex_lock(&l->lock);
    int s = l->showing;
    pthread_mutex_unlock(&l->lock);
    return s;
}

void mfv_live_stop(mfv_live *l) {
    if (!l) return;
    pthread_mutex_lock(&l->lock);
    l->stop = 1;
    pthread_mutex_unlock(&l->lock);
    pthread_join(l->thread, NULL);
    pthread_mutex_destroy(&l->lock);
    free(l);
}
