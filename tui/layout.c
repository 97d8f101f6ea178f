#include "layout.h"

const char *mfv_panel_name(int p) {
    static const char *names[MFV_PANELS] = {"losses", "density ratio", "histogram of D",
                                            "device"};
    return p >= 0 && p < MFV_PANELS ? names[p] : "?";
}

static mfv_rect rect(int x, int y, int w, int h) {
    mfv_rect r = {x, y, w, h};
    return r;
}

/* The grid: losses top left, the map top right (the map wants width: it gets the larger
 * half), histograms bottom left, the device bottom right. The bottom row is shorter once
 * the terminal is tall: curves and maps gain from height, the device table does not. */
mfv_layout mfv_layout_for(int cols, int rows, int focus) {
    mfv_layout l = {0};
    if (cols < MFV_MIN_COLS || rows < MFV_MIN_ROWS) {
        l.too_small = 1;
        return l;
    }
    l.header = rect(0, 0, cols, 1);
    l.footer = rect(0, rows - 1, cols, 1);
    int top = 1, body = rows - 2;
    if (focus >= 0 && focus < MFV_PANELS) {
        l.panel[focus] = rect(0, top, cols, body);
        return l;
    }
    int lower = body / 2 < 14 ? body / 2 : 14;
    int upper = body - lower;
    int left = cols / 2, right = cols - left;
    l.panel[MFV_LOSS] = rect(0, top, left, upper);
    l.panel[MFV_MAP] = rect(left, top, right, upper);
    l.panel[MFV_HIST] = rect(0, top + upper, left, lower);
    l.panel[MFV_DEVICE] = rect(left, top + upper, right, lower);
    return l;
}
