/* IDX files, the MNIST format: bytes 0 0 TYPE NDIMS, NDIMS big-endian uint32 sizes, then
 * the values. Read through zlib, so gzip-compressed and plain files both work. Only the
 * unsigned-byte type (0x08) that image and label sets use is accepted. */
#ifndef MONOFLOW_IDX_H
#define MONOFLOW_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "monoflow/status.h"

#define MF_IDX_MAX_DIMS 4

typedef struct {
    int ndims;
    uint32_t dims[MF_IDX_MAX_DIMS];
    size_t count;   /* dims[0]: images or labels */
    size_t item;    /* values per item: the product of the other sizes (1 for labels) */
    uint8_t *data;  /* count x item */
} mf_idx;

/* Reads the whole file. A missing file is MF_ERR_IO; a wrong magic, a type other than
 * unsigned byte, more than 4 dimensions or fewer values than the header promises is
 * MF_ERR_FORMAT, with one line that names the file and what is wrong. */
mf_status mf_idx_read(const char *path, mf_idx *out);
void mf_idx_free(mf_idx *x);

/* An image file and its label file: the labels must be one-dimensional, as many as the
 * images, each below 256 (any byte). */
mf_status mf_idx_read_labelled(const char *images, const char *labels, mf_idx *img,
                               mf_idx *lab);

/* The values as floats scaled to [-1, 1] (v / 127.5 - 1), count x item; malloc'd. */
float *mf_idx_unit_floats(const mf_idx *x);

#endif
