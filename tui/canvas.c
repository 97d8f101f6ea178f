#include "canvas.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int mfv_canvas_init(mfv_canvas *c, int w, int h, int ascii) {
    c->w = w;
    c->h = h;
    c->ascii = ascii;
    c->cells = calloc((size_t)(w > 0 ? w : 1) * (size_t)(h > 0 ? h : 1), sizeof *c->cells);
    mfv_canvas_clear(c);
    return c->cells ? 0 : -1;
}

void mfv_canvas_free(mfv_canvas *c) {
    free(c->cells);
    c->cells = NULL;
}

void mfv_canvas_clear(mfv_canvas *c) {
    if (!c->cells) return;
    for (int i = 0; i < c->w * c->h; i++) c->cells[i] = (mfv_cell){' ', MFV_C_NONE, MFV_C_NONE, 0};
}

void mfv_put(mfv_canvas *c, int x, int y, uint32_t ch, int fg, int bg) {
    if (x < 0 || y < 0 || x >= c->w || y >= c->h) return;
    if (c->ascii && ch > 126) ch = '?'; /* callers pick ASCII glyphs; this is the backstop */
    c->cells[y * c->w + x] = (mfv_cell){ch, (int8_t)fg, (int8_t)bg, 0};
}

/* one code point from UTF-8 at *s, advancing it; invalid bytes become '?' */
static uint32_t decode(const char **s) {
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t cp = p[0];
    int n = cp < 0x80 ? 0 : (cp & 0xE0) == 0xC0 ? 1 : (cp & 0xF0) == 0xE0 ? 2 : (cp & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) {
        (*s)++;
        return '?';
    }
    cp = n ? cp & (0x3F >> n) : cp;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += i;
            return '?';
        }
        cp = cp << 6 | (p[i] & 0x3F);
    }
    *s += n + 1;
    return cp;
}

int mfv_text(mfv_canvas *c, int x, int y, int maxw, int fg, const char *s) {
    int n = 0;
    while (*s && n < maxw) {
        uint32_t cp = decode(&s);
        mfv_put(c, x + n++, y, cp, fg, MFV_C_NONE);
    }
    return n;
}

int mfv_printf(mfv_canvas *c, int x, int y, int maxw, int fg, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return mfv_text(c, x, y, maxw, fg, buf);
}

void mfv_frame(mfv_canvas *c, mfv_rect r, const char *title, int highlight) {
    if (r.w < 2 || r.h < 2) return;
    int a = c->ascii, fg = highlight ? MFV_C_TITLE : MFV_C_DIM;
    uint32_t hz = a ? '-' : 0x2500, vt = a ? '|' : 0x2502;
    uint32_t tl = a ? '+' : 0x256D, tr = a ? '+' : 0x256E, bl = a ? '+' : 0x2570,
             br = a ? '+' : 0x256F;
    for (int x = r.x + 1; x < r.x + r.w - 1; x++) {
        mfv_put(c, x, r.y, hz, fg, MFV_C_NONE);
        mfv_put(c, x, r.y + r.h - 1, hz, fg, MFV_C_NONE);
    }
    for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
        mfv_put(c, r.x, y, vt, fg, MFV_C_NONE);
        mfv_put(c, r.x + r.w - 1, y, vt, fg, MFV_C_NONE);
    }
    mfv_put(c, r.x, r.y, tl, fg, MFV_C_NONE);
    mfv_put(c, r.x + r.w - 1, r.y, tr, fg, MFV_C_NONE);
    mfv_put(c, r.x, r.y + r.h - 1, bl, fg, MFV_C_NONE);
    mfv_put(c, r.x + r.w - 1, r.y + r.h - 1, br, fg, MFV_C_NONE);
    if (title) mfv_printf(c, r.x + 2, r.y, r.w - 4, MFV_C_TITLE, " %s ", title);
}

static void put_utf8(uint32_t cp, FILE *f) {
    if (cp < 0x80) {
        fputc((int)cp, f);
    } else if (cp < 0x800) {
        fputc(0xC0 | (int)(cp >> 6), f);
        fputc(0x80 | (int)(cp & 0x3F), f);
    } else {
        fputc(0xE0 | (int)(cp >> 12), f);
        fputc(0x80 | (int)((cp >> 6) & 0x3F), f);
        fputc(0x80 | (int)(cp & 0x3F), f);
    }
}

void mfv_canvas_print(const mfv_canvas *c, FILE *f) {
    for (int y = 0; y < c->h; y++) {
        int end = c->w;
        while (end > 0 && c->cells[y * c->w + end - 1].ch == ' ') end--;
        for (int x = 0; x < end; x++) put_utf8(c->cells[y * c->w + x].ch, f);
        fputc('\n', f);
    }
}
