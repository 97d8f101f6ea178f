/* The PNG grid: size (cols x (w + 1) + 1 by rows x (h + 1) + 1), the black 1-pixel border,
 * the value mapping (-1 -> 0, 0 -> 128, 1 -> 255, clamped outside, NaN -> 0), read back
 * with libpng; no temporary file left behind; an unwritable path refused. */
#include <png.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "monoflow/png.h"

static uint8_t *read_back(const char *path, int *w, int *h) {
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) return NULL;
    img.format = PNG_FORMAT_GRAY;
    uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
    if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) {
        free(buf);
        return NULL;
    }
    *w = (int)img.width, *h = (int)img.height;
    return buf;
}

int main(void) {
    char path[] = "/tmp/mf-test-png-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    /* 5 images of 2 x 3 in 3 columns: 2 rows */
    float img[5 * 6];
    for (int i = 0; i < 30; i++) img[i] = 0;
    img[0] = -1, img[1] = 1, img[2] = 0.5f, img[3] = 7, img[4] = -7, img[5] = NAN;
    img[6 * 4 + 5] = 1; /* the last image's last pixel */
    CHECK(mf_png_grid(path, img, 5, 2, 3, 3) == MF_OK, "write: %s", mf_last_error());
    int w = 0, h = 0;
    uint8_t *px = read_back(path, &w, &h);
    CHECK(px != NULL, "libpng reads it back");
    if (px) {
        CHECK(w == 3 * 4 + 1 && h == 2 * 3 + 1, "size %d x %d, want 13 x 7", w, h);
        CHECK(px[0] == 0 && px[w - 1] == 0 && px[(h - 1) * w] == 0, "border is black");
        const uint8_t *first = px + w + 1;
        CHECK(first[0] == 0 && first[1] == 255 && first[2] == 191, "-1, 1, 0.5 -> %d %d %d",
              first[0], first[1], first[2]);
        CHECK(first[w] == 255 && first[w + 1] == 0 && first[w + 2] == 0,
              "clamped 7 -> 255, -7 -> 0, NaN -> 0: %d %d %d", first[w], first[w + 1],
              first[w + 2]);
        CHECK(px[w + 5] == 128, "0 -> 128 (second image), got %d", px[w + 5]);
        const uint8_t *last = px + 4 * w + 5; /* row 2, column 1 of the grid */
        CHECK(last[w + 2] == 255 && last[0] == 128, "fifth image in row 2, column 2");
        CHECK(px[4 * w + 9] == 0 && px[5 * w + 11] == 0, "the empty sixth cell stays black");
        free(px);
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    CHECK(access(tmp, F_OK) != 0, "no temporary file left");
    unlink(path);
    CHECK(mf_png_grid("/proc/none/x.png", img, 5, 2, 3, 3) == MF_ERR_IO &&
              strstr(mf_last_error(), "cannot write /proc/none/x.png"), "unwritable: %s",
          mf_last_error());
    CHECK(mf_png_grid(path, img, 0, 2, 3, 3) == MF_ERR_ARG, "no images refused");
    return test_finish("test_png");
}
