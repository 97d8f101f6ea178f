/* Steering a run from outside: viewers append one command per line to RUNDIR/control
 * ("pause", "resume", "save", "eps-up", "eps-down"); the trainer reads the lines added since
 * it started. Appends of a short line are atomic, so several viewers may write at once, and
 * a viewer needs no connection to the trainer: the run goes on when it goes away. */
#ifndef MONOFLOW_CONTROL_H
#define MONOFLOW_CONTROL_H

#include <stddef.h>

#include "monoflow/status.h"

typedef struct {
    char path[1100];
    long offset;           /* bytes of the file already carried out (or there at start) */
} mf_control;

/* Starts reading dir/control from its current end: older commands are not replayed. */
void mf_control_open(mf_control *c, const char *dir);

/* The next whole new line (without the newline) into cmd; 0 when there is none. */
int mf_control_next(mf_control *c, char *cmd, size_t cap);

/* Appends "cmd\n" to dir/control. */
mf_status mf_control_send(const char *dir, const char *cmd);

#endif
