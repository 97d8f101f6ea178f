/* A grid of character cells that the view draws into; the terminal front-end copies it to
 * ncurses, `top --once` prints it as text. Drawing never depends on the terminal. */
#ifndef MONOFLOW_TUI_CANVAS_H
#define MONOFLOW_TUI_CANVAS_H

#include <stdint.h>
#include <stdio.h>

#include "layout.h"

/* logical colours; the front-end maps them to what the terminal has */
enum {
    MFV_C_NONE = -1, MFV_C_TITLE, MFV_C_DIM, MFV_C_A, MFV_C_B, MFV_C_C, MFV_C_D, MFV_C_WARN,
    MFV_C_OK, MFV_C_HEAT0 /* .. MFV_C_HEAT0 + MFV_HEAT_LEVELS - 1: cold to hot */
};
#define MFV_HEAT_LEVELS 9
#define MFV_C_GRAY0 (MFV_C_HEAT0 + MFV_HEAT_LEVELS) /* .. + MFV_GRAY_LEVELS - 1: black to white */
#define MFV_GRAY_LEVELS 8
#define MFV_COLORS (MFV_C_GRAY0 + MFV_GRAY_LEVELS)

typedef struct {
    uint32_t ch;     /* a Unicode code point */
    int8_t fg, bg;   /* logical colours */
    uint8_t bold;
} mfv_cell;

typedef struct {
    int w, h;
    int ascii;       /* draw frames and glyphs with ASCII only */
    mfv_cell *cells;
} mfv_canvas;

int mfv_canvas_init(mfv_canvas *c, int w, int h, int ascii);
void mfv_canvas_free(mfv_canvas *c);
void mfv_canvas_clear(mfv_canvas *c);

void mfv_put(mfv_canvas *c, int x, int y, uint32_t ch, int fg, int bg);
/* UTF-8 text from (x, y), at most maxw cells; returns the cells written */
int mfv_text(mfv_canvas *c, int x, int y, int maxw, int fg, const char *s);
int mfv_printf(mfv_canvas *c, int x, int y, int maxw, int fg, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* a box around r with the title in its top edge */
void mfv_frame(mfv_canvas *c, mfv_rect r, const char *title, int highlight);

/* the grid as lines of UTF-8 text, trailing blanks dropped */
void mfv_canvas_print(const mfv_canvas *c, FILE *f);

#endif
