#include "monoflow/idx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const uint8_t *b) {
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* reads exactly n bytes or says how many came */
static size_t read_n(gzFile f, void *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        unsigned chunk = n - got > (1u << 30) ? 1u << 30 : (unsigned)(n - got);
        int r = gzread(f, (char *)buf + got, chunk);
        if (r <= 0) break;
        got += (size_t)r;
    }
    return got;
}

static mf_status header(gzFile f, const char *path, mf_idx *x) {
    uint8_t h[4], d[4];
    if (read_n(f, h, 4) != 4)
        return mf_fail(MF_ERR_FORMAT, "%s is not an IDX file: it ends before the 4-byte magic",
                       path);
    if (h[0] != 0 || h[1] != 0 || h[3] < 1 || h[3] > MF_IDX_MAX_DIMS)
        return mf_fail(MF_ERR_FORMAT, "%s is not an IDX file: magic %02x %02x %02x %02x, "
                                      "want 00 00 08 and 1 to %d dimensions",
                       path, h[0], h[1], h[2], h[3], MF_IDX_MAX_DIMS);
    if (h[2] != 0x08)
        return mf_fail(MF_ERR_FORMAT, "%s holds IDX type 0x%02x; only unsigned bytes (0x08) are "
                                      "supported", path, h[2]);
    x->ndims = h[3];
    x->item = 1;
    for (int i = 0; i < x->ndims; i++) {
        if (read_n(f, d, 4) != 4)
            return mf_fail(MF_ERR_FORMAT, "%s is truncated inside its header", path);
        x->dims[i] = be32(d);
        if (x->dims[i] == 0)
            return mf_fail(MF_ERR_FORMAT, "%s has a dimension of size 0", path);
        if (i > 0) x->item *= x->dims[i];
    }
    x->count = x->dims[0];
    if (x->item > (1u << 24) || x->count > (1u << 28))
        return mf_fail(MF_ERR_FORMAT, "%s claims %zu items of %zu values: too large", path,
                       x->count, x->item);
    return MF_OK;
}

mf_status mf_idx_read(const char *path, mf_idx *x) {
    memset(x, 0, sizeof *x);
    gzFile f = gzopen(path, "rb");
    if (!f) return mf_fail(MF_ERR_IO, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
    mf_status st = header(f, path, x);
    size_t n = x->count * x->item;
    if (st == MF_OK && !(x->data = malloc(n ? n : 1)))
        st = mf_fail(MF_ERR_NOMEM, "out of host memory reading %s", path);
    if (st == MF_OK) {
        size_t got = read_n(f, x->data, n);
        int err;
        const char *msg = gzerror(f, &err);
        if (got < n && err != Z_OK && err != Z_BUF_ERROR)
            st = mf_fail(MF_ERR_FORMAT, "%s: %s after %zu of %zu value bytes", path, msg, got, n);
        else if (got < n)
            st = mf_fail(MF_ERR_FORMAT, "%s is truncated: the header promises %zu values, the "
                                        "file holds %zu", path, n, got);
    }
    gzclose(f);
    if (st != MF_OK) mf_idx_free(x);
    return st;
}

void mf_idx_free(mf_idx *x) {
    free(x->data);
    memset(x, 0, sizeof *x);
}

mf_status mf_idx_read_labelled(const char *images, const char *labels, mf_idx *img,
                               mf_idx *lab) {
    mf_status st = mf_idx_read(images, img);
    if (st != MF_OK) return st;
    st = mf_idx_read(labels, lab);
    if (st == MF_OK && lab->ndims != 1)
        st = mf_fail(MF_ERR_FORMAT, "%s has %d dimensions; a label file has 1", labels,
                     lab->ndims);
    if (st == MF_OK && lab->count != img->count)
        st = mf_fail(MF_ERR_FORMAT, "%s has %zu labels for the %zu images of %s", labels,
                     lab->count, img->count, images);
    if (st != MF_OK) {
        mf_idx_free(img);
        mf_idx_free(lab);
    }
    return st;
}

float *mf_idx_unit_floats(const mf_idx *x) {
    size_t n = x->count * x->item;
    float *out = malloc(sizeof(float) * (n ? n : 1));
    for (size_t i = 0; out && i < n; i++) out[i] = x->data[i] / 127.5f - 1.0f;
    return out;
}
