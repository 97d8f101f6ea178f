/* The terminal viewer: `monoflow top RUNDIR` (attached to a run another process writes),
 * `monoflow top RUNDIR --once` (one plain-text snapshot), and `monoflow train --tui` (the
 * same view on its own thread inside the trainer). One thread owns ncurses; training never
 * waits on it. Keys that steer training are appended to RUNDIR/control (control.h). */
#ifndef MONOFLOW_TUI_H
#define MONOFLOW_TUI_H

#include <stdio.h>

#include "monoflow/snapshot.h"

typedef struct {
    int ascii;     /* --ascii (also chosen when the locale is not UTF-8) */
    int no_color;  /* --no-color */
    double rate;   /* frames per second at most (--rate) */
} mfv_opts;

void mfv_opts_default(mfv_opts *o);

/* Parses the viewer's flags (--ascii, --no-color, --rate N) at argv[*i]; 1 when taken, 0
 * when not a viewer flag, -1 (message printed) when its value is bad. */
int mfv_opts_parse(mfv_opts *o, int argc, char **argv, int *i);

/* `monoflow top`: exit status (0, or 1 for a run directory that cannot be read). */
int mfv_top(const char *dir, const mfv_opts *o);

/* `monoflow top --once`: the snapshot as text on out; exit status. */
int mfv_once(const char *dir, const mfv_opts *o, FILE *out);

/* Inside the trainer. */
typedef struct mfv_live mfv_live;
mfv_live *mfv_live_start(const char *dir, const mfv_opts *o);
/* Hands the viewer a copy of s; never blocks on the terminal. */
void mfv_live_publish(mfv_live *l, const mf_snapshot *s);
/* 1 while the viewer is on screen (the user has not pressed q). */
int mfv_live_showing(mfv_live *l);
/* Ends the viewer (restoring the terminal) and frees it. */
void mfv_live_stop(mfv_live *l);

#endif
