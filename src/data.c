#include "monoflow/data.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/idx.h"
#include "internal.h"

#define CSV_MAX_DIM 65536

static const char *names[MF_DATA_COUNT] = {"ring8",   "grid25",       "swissroll",
                                           "circles", "moons",        "checkerboard",
                                           "pinwheel", "2spirals",    "csv",
                                           "images"};

const char *mf_data_name(mf_data_kind k) { return k < MF_DATA_COUNT ? names[k] : "?"; }

const char *mf_data_list(void) {
    return "ring8, grid25, swissroll, circles, moons, checkerboard, pinwheel, 2spirals, "
           "csv:PATH, fashion-mnist or idx:IMAGES[,LABELS]";
}

/* one field: a finite float, surrounding blanks allowed */
static int parse_field(const char *s, size_t len, float *out) {
    char buf[128];
    while (len && (*s == ' ' || *s == '\t')) s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r')) len--;
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    errno = 0;
    float v = strtof(buf, &end);
    if (*end || errno == ERANGE || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* a line's fields appended to *data; returns the count or -1 with the message set */
static int parse_line(const char *path, size_t lineno, const char *line, float **data,
                      size_t *len, size_t *cap) {
    int count = 0;
    const char *p = line;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t flen = comma ? (size_t)(comma - p) : strlen(p);
        float v;
        if (parse_field(p, flen, &v) != 0) {
            mf_fail(MF_ERR_FORMAT, "%s: line %zu, column %d: '%.*s' is not a finite number", path,
                    lineno, count + 1, (int)(flen > 40 ? 40 : flen), p);
            return -1;
        }
        if (*len == *cap) {
            *cap = *cap ? *cap * 2 : 4096;
            float *n = realloc(*data, *cap * sizeof **data);
            if (!n) {
                mf_fail(MF_ERR_NOMEM, "out of memory reading %s", path);
                return -1;
            }
            *data = n;
        }
        (*data)[(*len)++] = v;
        if (++count > CSV_MAX_DIM) {
            mf_fail(MF_ERR_FORMAT, "%s: line %zu has more than %d values", path, lineno,
                    CSV_MAX_DIM);
            return -1;
        }
        if (!comma) return count;
        p = comma + 1;
    }
}

static int blank(const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

mf_status mf_csv_read(const char *path, float **data, size_t *rows, int *dim) {
    *data = NULL;
    *rows = 0;
    *dim = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return mf_fail(MF_ERR_IO, "cannot read CSV file %s: %s", path, strerror(errno));
    char *line = NULL;
    size_t lcap = 0, lineno = 0, len = 0, cap = 0;
    ssize_t got;
    mf_status st = MF_OK;
    while ((got = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        if (got > 0 && line[got - 1] == '\n') line[got - 1] = 0;
        if (blank(line)) continue;
        int n = parse_line(path, lineno, line, data, &len, &cap);
        if (n < 0) {
            st = MF_ERR_FORMAT;
            break;
        }
        if (*dim == 0) *dim = n;
        if (n != *dim) {
            st = mf_fail(MF_ERR_FORMAT, "%s: line %zu has %d value(s), the first point has %d",
                         path, lineno, n, *dim);
            break;
        }
        (*rows)++;
    }
    free(line);
    fclose(f);
    if (st == MF_OK && *rows == 0)
        st = mf_fail(MF_ERR_FORMAT, "%s holds no points: write one point per line, values "
                                    "separated by commas", path);
    if (st != MF_OK) {
        free(*data);
        *data = NULL;
        /* MF_ERR_NOMEM keeps its own code; everything else is the file's fault */
        return st;
    }
    return MF_OK;
}

/* images (and labels when given) into out's table */
static mf_status open_images(mf_ctx *c, const char *images, const char *labels, mf_data *out) {
    mf_idx img, lab = {0};
    MF_TRY(labels ? mf_idx_read_labelled(images, labels, &img, &lab)
                  : mf_idx_read(images, &img));
    mf_status st = MF_OK;
    if (img.ndims != 3)
        st = mf_fail(MF_ERR_FORMAT, "%s has %d dimensions; images have 3 (count, rows, "
                                    "columns)", images, img.ndims);
    float *host = st == MF_OK ? mf_idx_unit_floats(&img) : NULL;
    if (st == MF_OK && !host) st = mf_fail(MF_ERR_NOMEM, "out of host memory for %s", images);
    if (st == MF_OK) {
        out->kind = MF_DATA_IMAGES;
        out->rows = img.count;
        out->dim = (int)img.item;
        out->height = (int)img.dims[1];
        out->width = (int)img.dims[2];
        st = mf_buf_alloc(c, img.count * img.item, &out->table);
    }
    if (st == MF_OK) st = mf_buf_write(c, &out->table, 0, img.count * img.item, host);
    if (st == MF_OK && labels) {
        out->labels = lab.data;
        lab.data = NULL;
    }
    free(host);
    mf_idx_free(&img);
    mf_idx_free(&lab);
    return st;
}

static mf_status open_fashion_mnist(mf_ctx *c, mf_data *out) {
    char img[600], lab[600];
    const char *dir = getenv("MONOFLOW_FASHION_MNIST_DIR");
    if (!dir || !*dir) dir = MF_FASHION_MNIST_DIR;
    snprintf(img, sizeof img, "%s/train-images-idx3-ubyte.gz", dir);
    snprintf(lab, sizeof lab, "%s/train-labels-idx1-ubyte.gz", dir);
    FILE *f = fopen(img, "rb");
    if (!f)
        return mf_fail(MF_ERR_IO, "Fashion-MNIST is not installed (no %s): apt-get install "
                                  "dataset-fashion-mnist, or give the files with --data "
                                  "idx:IMAGES,LABELS", img);
    fclose(f);
    return open_images(c, img, lab, out);
}

mf_status mf_data_open(mf_ctx *c, const char *spec, mf_data *out) {
    memset(out, 0, sizeof *out);
    snprintf(out->spec, sizeof out->spec, "%s", spec);
    if (!strcmp(spec, "fashion-mnist")) return open_fashion_mnist(c, out);
    if (!strncmp(spec, "idx:", 4)) {
        char images[512];
        snprintf(images, sizeof images, "%s", spec + 4);
        char *comma = strchr(images, ',');
        if (comma) *comma = 0;
        return open_images(c, images, comma ? comma + 1 : NULL, out);
    }
    if (!strncmp(spec, "csv:", 4)) {
        float *host;
        size_t rows;
        int dim;
        MF_TRY(mf_csv_read(spec + 4, &host, &rows, &dim));
        out->kind = MF_DATA_CSV;
        out->rows = rows;
        out->dim = dim;
        mf_status st = mf_buf_alloc(c, rows * dim, &out->table);
        if (st == MF_OK) st = mf_buf_write(c, &out->table, 0, rows * dim, host);
        free(host);
        return st;
    }
    for (int k = 0; k < MF_DATA_CSV; k++)
        if (!strcmp(spec, names[k])) {
            out->kind = (mf_data_kind)k;
            out->dim = 2;
            return MF_OK;
        }
    return mf_fail(MF_ERR_ARG, "unknown data set '%s': choose one of %s", spec, mf_data_list());
}

void mf_data_close(mf_ctx *c, mf_data *d) {
    mf_buf_free(c, &d->table);
    free(d->labels);
    d->labels = NULL;
}

mf_status mf_data_sample(mf_ctx *c, const mf_data *d, mf_rng *r, mf_buf *out, size_t off,
                         size_t n) {
    MF_ASSERT(off + n * d->dim <= out->n);
    cl_uint uoff = (cl_uint)off, un = (cl_uint)n;
    cl_uint klo = (cl_uint)r->seed, khi = (cl_uint)(r->seed >> 32);
    cl_ulong ctr = r->counter;
    if (d->kind == MF_DATA_CSV || d->kind == MF_DATA_IMAGES) {
        cl_uint rows = (cl_uint)d->rows, dim = (cl_uint)d->dim;
        mf_set_args(c->kernels[MF_K_sample_rows], 9, MF_ARG(out->mem), MF_ARG(uoff),
                    MF_ARG(d->table.mem), MF_ARG(rows), MF_ARG(dim), MF_ARG(un), MF_ARG(klo),
                    MF_ARG(khi), MF_ARG(ctr));
        r->counter += n;
        return mf_launch(c, MF_K_sample_rows, n);
    }
    cl_int kind = d->kind;
    mf_set_args(c->kernels[MF_K_sample_toy], 7, MF_ARG(out->mem), MF_ARG(uoff), MF_ARG(un),
                MF_ARG(kind), MF_ARG(klo), MF_ARG(khi), MF_ARG(ctr));
    r->counter += 2 * n;
    return mf_launch(c, MF_K_sample_toy, n);
}

int mf_data_modes(mf_data_kind k, float *centers, float *sigma) {
    if (k == MF_DATA_RING8) {
        for (int i = 0; i < 8; i++) {
            centers[2 * i] = (float)(2 * cos(2 * M_PI * i / 8));
            centers[2 * i + 1] = (float)(2 * sin(2 * M_PI * i / 8));
        }
        *sigma = 0.02f;
        return 8;
    }
    if (k == MF_DATA_GRID25) {
        for (int i = 0; i < 25; i++) {
            centers[2 * i] = (float)(-4 + 2 * (i / 5));
            centers[2 * i + 1] = (float)(-4 + 2 * (i % 5));
        }
        *sigma = 0.05f;
        return 25;
    }
    return 0;
}

/* ---- host reference of cl/data.cl ---- */
static double ref_u01(uint32_t x) { return (double)(x >> 8) * (1.0 / 16777216.0); }

static void ref_point(mf_data_kind kind, const double *u, double *x, double *y) {
    double r = sqrt(-2.0 * log(u[6] + 1.0 / 16777216.0));
    double nx = r * cos(2 * M_PI * u[7]), ny = r * sin(2 * M_PI * u[7]);
    double a, t, px, py;
    int k;
    switch (kind) {
    case MF_DATA_RING8:
        k = (int)(u[0] * 8) < 7 ? (int)(u[0] * 8) : 7;
        a = 2 * M_PI * k / 8;
        *x = 2 * cos(a) + 0.02 * nx, *y = 2 * sin(a) + 0.02 * ny;
        return;
    case MF_DATA_GRID25:
        k = (int)(u[0] * 25) < 24 ? (int)(u[0] * 25) : 24;
        *x = -4 + 2 * (k / 5) + 0.05 * nx, *y = -4 + 2 * (k % 5) + 0.05 * ny;
        return;
    case MF_DATA_SWISSROLL:
        t = 1.5 * M_PI * (1 + 2 * u[0]);
        *x = (t * cos(t) + nx) / 5, *y = (t * sin(t) + ny) / 5;
        return;
    case MF_DATA_CIRCLES:
        r = u[0] < 0.5 ? 1.0 : 0.5, a = 2 * M_PI * u[1];
        *x = 3 * (r * cos(a) + 0.08 * nx), *y = 3 * (r * sin(a) + 0.08 * ny);
        return;
    case MF_DATA_MOONS:
        a = M_PI * u[1];
        px = u[0] < 0.5 ? cos(a) : 1 - cos(a);
        py = u[0] < 0.5 ? sin(a) : 1 - sin(a) - 0.5;
        *x = 2 * (px + 0.1 * nx) - 1, *y = 2 * (py + 0.1 * ny) - 0.2;
        return;
    case MF_DATA_CHECKERBOARD:
        px = u[0] * 4 - 2;
        py = u[1] - (u[2] < 0.5 ? 0 : 2) + (double)((int)floor(px) & 1);
        *x = 2 * px, *y = 2 * py;
        return;
    case MF_DATA_PINWHEEL: {
        k = (int)(u[0] * 5) < 4 ? (int)(u[0] * 5) : 4;
        double f0 = 1 + 0.3 * nx, f1 = 0.1 * ny;
        a = 2 * M_PI * k / 5 + 0.25 * exp(f0);
        *x = 2 * (f0 * cos(a) + f1 * sin(a)), *y = 2 * (-f0 * sin(a) + f1 * cos(a));
        return;
    }
    default:
        t = sqrt(u[0]) * 540 * 2 * M_PI / 360;
        px = -cos(t) * t + 0.5 * u[1], py = sin(t) * t + 0.5 * u[2];
        if (u[3] >= 0.5) px = -px, py = -py;
        *x = px / 3 + 0.1 * nx, *y = py / 3 + 0.1 * ny;
        return;
    }
}

void mf_ref_toy_sample(mf_data_kind k, uint64_t seed, uint64_t counter, size_t n, float *out) {
    for (size_t i = 0; i < n; i++) {
        uint32_t a[4], b[4];
        mf_philox4x32_10(seed, counter + 2 * i, a);
        mf_philox4x32_10(seed, counter + 2 * i + 1, b);
        double u[8] = {ref_u01(a[0]), ref_u01(a[1]), ref_u01(a[2]), ref_u01(a[3]),
                       ref_u01(b[0]), ref_u01(b[1]), ref_u01(b[2]), ref_u01(b[3])};
        double x, y;
        ref_point(k, u, &x, &y);
        out[2 * i] = (float)x;
        out[2 * i + 1] = (float)y;
    }
}
