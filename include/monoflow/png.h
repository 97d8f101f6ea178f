/* PNG pictures of images (libpng): a grid of n grayscale images with values in [-1, 1]. */
#ifndef MONOFLOW_PNG_H
#define MONOFLOW_PNG_H

#include <stddef.h>

#include "monoflow/status.h"

/* n images of h x w (row-major, one after another) in a grid of `cols` columns with a
 * 1-pixel dark border, written to path through a temporary name. Values are clamped to
 * [-1, 1] and mapped to 0..255. */
mf_status mf_png_grid(const char *path, const float *images, size_t n, int h, int w, int cols);

#endif
