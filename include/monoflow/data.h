/* Training data: 2D toy distributions sampled on the device, or a table of points held on
 * the device and sampled by random rows: a CSV file of points of any dimension, or IDX
 * images (Fashion-MNIST or any IDX file) scaled to [-1, 1], one image per row. */
#ifndef MONOFLOW_DATA_H
#define MONOFLOW_DATA_H

#include "monoflow/buffer.h"
#include "monoflow/rng.h"

/* codes of the toys match cl/data.cl */
typedef enum {
    MF_DATA_RING8,
    MF_DATA_GRID25,
    MF_DATA_SWISSROLL,
    MF_DATA_CIRCLES,
    MF_DATA_MOONS,
    MF_DATA_CHECKERBOARD,
    MF_DATA_PINWHEEL,
    MF_DATA_2SPIRALS,
    MF_DATA_CSV,
    MF_DATA_IMAGES,
    MF_DATA_COUNT
} mf_data_kind;

typedef struct {
    mf_data_kind kind;
    int dim;
    size_t rows;       /* CSV, images: number of points */
    mf_buf table;      /* CSV, images: the points, rows x dim */
    int height, width; /* images: rows x cols of one image (dim = height x width) */
    uint8_t *labels;   /* images with a label file: one class per row (host), else NULL */
    char spec[512];    /* as the user gave it */
} mf_data;

/* Where Debian's dataset-fashion-mnist package puts its files ($MONOFLOW_FASHION_MNIST_DIR
 * overrides it) */
#define MF_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/* "ring8", "grid25", ..., "csv:PATH", "idx:IMAGES[,LABELS]" or "fashion-mnist" (its
 * training images and labels). A bad name or file: MF_ERR_ARG / MF_ERR_FORMAT / MF_ERR_IO
 * with one line that says what is wrong (for a CSV: the line and column). */
mf_status mf_data_open(mf_ctx *ctx, const char *spec, mf_data *out);
void mf_data_close(mf_ctx *ctx, mf_data *d);

/* n points into out[off ..] (n x dim), enqueued. */
mf_status mf_data_sample(mf_ctx *ctx, const mf_data *d, mf_rng *rng, mf_buf *out, size_t off,
                         size_t n);

const char *mf_data_name(mf_data_kind k);
/* "ring8, grid25, ..., csv:PATH" for messages */
const char *mf_data_list(void);

/* Reads a CSV of floats (one point per line, comma-separated). On failure the message names
 * the line and column. *data is malloc'ed. */
mf_status mf_csv_read(const char *path, float **data, size_t *rows, int *dim);

/* The modes of ring8 and grid25 (centres and sigma); 0 for data without named modes. */
int mf_data_modes(mf_data_kind k, float *centers, float *sigma);

/* The same sampler on the host (reference for the kernel): n points from (seed, counter). */
void mf_ref_toy_sample(mf_data_kind k, uint64_t seed, uint64_t counter, size_t n, float *out);

#endif
