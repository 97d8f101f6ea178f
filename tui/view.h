/* Draws one frame of the viewer from a snapshot into a canvas: the pure part of the UI. */
#ifndef MONOFLOW_TUI_VIEW_H
#define MONOFLOW_TUI_VIEW_H

#include "canvas.h"
#include "devstat.h"
#include "monoflow/snapshot.h"

typedef struct {
    int color;        /* the terminal shows colours (heat map by colour, else by shade) */
    int focus;        /* -1: all panels; else that one alone */
    int ratio;        /* the map shows r = exp D instead of D */
    int overlay;      /* histograms overlaid instead of mirrored */
    int help;         /* the key help on top */
    int trainer_gone; /* the snapshot says running but its process has ended */
    int attached;     /* a viewer of another process's run (else inside the trainer) */
    char note[160];   /* the viewer's own last message ("sent: pause") */
} mfv_view;

/* The whole frame: header, panels (or the too-small message), footer, help. dev may be NULL. */
void mfv_draw(mfv_canvas *c, const mf_snapshot *s, const mfv_devstat *dev, const mfv_view *v);

/* "12.3 MiB" */
void mfv_bytes(double b, char *out, int cap);
/* "1:02:03" / "2:03" */
void mfv_duration(double sec, char *out, int cap);

#endif
