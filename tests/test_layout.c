/* The viewer's layout function across terminal sizes: every panel inside the screen, none
 * overlapping, each big enough to draw, the too-small sizes flagged, focus filling the body. */
#include "../tui/layout.h"

#include "check.h"

static int inside(mfv_rect r, int cols, int rows) {
    return r.x >= 0 && r.y >= 0 && r.x + r.w <= cols && r.y + r.h <= rows;
}

static int overlap(mfv_rect a, mfv_rect b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void grid(int cols, int rows) {
    mfv_layout l = mfv_layout_for(cols, rows, -1);
    CHECK(!l.too_small, "%dx%d flagged too small", cols, rows);
    CHECK(l.header.y == 0 && l.header.w == cols && l.footer.y == rows - 1, "%dx%d header/footer", cols, rows);
    int area = 0;
    for (int i = 0; i < MFV_PANELS; i++) {
        mfv_rect r = l.panel[i];
        CHECK(inside(r, cols, rows), "%dx%d panel %d outside", cols, rows, i);
        CHECK(r.w >= 40 && r.h >= 10, "%dx%d panel %d is %dx%d, below 40x10", cols, rows, i, r.w, r.h);
        CHECK(!overlap(r, l.header) && !overlap(r, l.footer), "%dx%d panel %d over a bar", cols, rows, i);
        for (int j = 0; j < i; j++)
            CHECK(!overlap(r, l.panel[j]), "%dx%d panels %d and %d overlap", cols, rows, i, j);
        area += r.w * r.h;
    }
    CHECK(area == cols * (rows - 2), "%dx%d panels cover %d of %d cells", cols, rows, area, cols * (rows - 2));
    CHECK(l.panel[MFV_LOSS].h >= l.panel[MFV_HIST].h, "%dx%d curves got less height", cols, rows);
}

static void focus(int cols, int rows) {
    for (int f = 0; f < MFV_PANELS; f++) {
        mfv_layout l = mfv_layout_for(cols, rows, f);
        mfv_rect r = l.panel[f];
        CHECK(r.x == 0 && r.y == 1 && r.w == cols && r.h == rows - 2, "%dx%d focus %d", cols, rows, f);
        for (int o = 0; o < MFV_PANELS; o++)
            if (o != f) CHECK(l.panel[o].w == 0, "%dx%d focus %d still shows %d", cols, rows, f, o);
    }
}

int main(void) {
    const int sizes[][2] = {{80, 24}, {81, 25}, {100, 30}, {120, 40}, {200, 60}, {400, 120}};
    for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        grid(sizes[i][0], sizes[i][1]);
        focus(sizes[i][0], sizes[i][1]);
    }
    const int small[][2] = {{79, 24}, {80, 23}, {40, 12}, {1, 1}, {0, 0}, {-3, 50}};
    for (unsigned i = 0; i < sizeof small / sizeof *small; i++) {
        mfv_layout l = mfv_layout_for(small[i][0], small[i][1], -1);
        CHECK(l.too_small, "%dx%d not flagged too small", small[i][0], small[i][1]);
        for (int p = 0; p < MFV_PANELS; p++) CHECK(l.panel[p].w == 0, "%dx%d has a panel", small[i][0], small[i][1]);
    }
    return test_finish("test_layout");
}
