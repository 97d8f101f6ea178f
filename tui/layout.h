/* Where each panel goes for a terminal of a given size: a pure function, so it is tested
 * alone (as nvtop tests its layout). */
#ifndef MONOFLOW_TUI_LAYOUT_H
#define MONOFLOW_TUI_LAYOUT_H

#define MFV_MIN_COLS 80
#define MFV_MIN_ROWS 24

typedef enum { MFV_LOSS, MFV_MAP, MFV_HIST, MFV_DEVICE, MFV_PANELS } mfv_panel;

typedef struct {
    int x, y, w, h; /* w == 0: not shown */
} mfv_rect;

typedef struct {
    int too_small;            /* below MFV_MIN_COLS x MFV_MIN_ROWS: show a message instead */
    mfv_rect header, footer;  /* the run line on top, the key line at the bottom */
    mfv_rect panel[MFV_PANELS];
} mfv_layout;

/* focus < 0: every panel in a 2 x 2 grid; else that panel alone over the whole body. */
mfv_layout mfv_layout_for(int cols, int rows, int focus);

const char *mfv_panel_name(int p);

#endif
