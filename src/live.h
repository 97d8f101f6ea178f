/* The trainer's side of the live view (cli_live.c): snapshot, control, in-process viewer. */
#ifndef MONOFLOW_LIVE_H
#define MONOFLOW_LIVE_H

#include "monoflow/control.h"
#include "monoflow/snapshot.h"
#include "run.h"
#include "tui.h"

typedef struct {
    mf_snapshot snap;
    mf_control ctl;
    char path[1100];
    double t_written;
    int paused;
    mfv_live *tui;            /* the viewer inside this process, or NULL */
} live_t;

void live_init(live_t *l, run_t *r, int resumed);
/* a logged iteration's numbers into the snapshot and its history */
void live_stats(live_t *l, const mf_train_stats *s, double rate, double elapsed);
/* captures and writes the snapshot, at most once a second unless forced */
mf_status live_publish(live_t *l, run_t *r, int force);
/* the snapshot's event line, e.g. live_event(l, "checkpoint written at %ld", iter) */
void live_event(live_t *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* carries out the viewers' new commands: 0 none, 1 some, 2 a checkpoint was asked for */
int live_commands(live_t *l, run_t *r);

#endif
