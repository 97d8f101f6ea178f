#include "monoflow/png.h"

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/files.h"

typedef struct {
    const uint8_t *pixels;
    int width, height;
    mf_status st;
} png_job;

static uint8_t to_byte(float v) {
    if (!(v > -1.0f)) v = -1.0f; /* NaN too */
    if (v > 1.0f) v = 1.0f;
    return (uint8_t)((v + 1.0f) * 127.5f + 0.5f);
}

static void write_png(FILE *f, void *user) {
    png_job *j = user;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        j->st = mf_fail(MF_ERR_IO, "libpng failed to write the image");
        png_destroy_write_struct(&png, &info);
        return;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)j->width, (png_uint_32)j->height, 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < j->height; y++)
        png_write_row(png, (png_const_bytep)(j->pixels + (size_t)y * j->width));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
}

mf_status mf_png_grid(const char *path, const float *images, size_t n, int h, int w, int cols) {
    if (n == 0 || h < 1 || w < 1 || cols < 1)
        return mf_fail(MF_ERR_ARG, "a PNG grid needs at least one image of positive size");
    int rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    if ((size_t)cols > n) cols = (int)n;
    int W = cols * (w + 1) + 1, H = rows * (h + 1) + 1;
    uint8_t *px = calloc((size_t)W * H, 1); /* border: black */
    if (!px) return mf_fail(MF_ERR_NOMEM, "out of host memory for the PNG grid");
    for (size_t i = 0; i < n; i++) {
        int gx = (int)(i % (size_t)cols) * (w + 1) + 1, gy = (int)(i / (size_t)cols) * (h + 1) + 1;
        const float *img = images + i * (size_t)h * w;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                px[(size_t)(gy + y) * W + gx + x] = to_byte(img[y * w + x]);
    }
    png_job j = {px, W, H, MF_OK};
    mf_status st = mf_write_atomic(path, write_png, &j);
    free(px);
    return st != MF_OK ? st : j.st;
}
