/* The IDX reader on small files this test writes: plain and gzip give the same values, the
 * scaling to [-1, 1] is exact, labels pair with images, and every bad file (missing,
 * truncated header, truncated data, wrong magic, another value type, labels that do not
 * match) is refused with its message. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "monoflow/idx.h"

static char dir[] = "/tmp/mf-test-idx-XXXXXX";

static const char *path_of(const char *name) {
    static char p[4][128];
    static int i;
    i = (i + 1) % 4;
    snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
    return p[i];
}

/* header for n items of r x c bytes (c = 0: a 1-dimensional label file) */
static size_t make(uint8_t *buf, uint8_t type, uint32_t n, uint32_t r, uint32_t c) {
    uint8_t nd = c ? 3 : 1;
    size_t len = 0;
    buf[len++] = 0, buf[len++] = 0, buf[len++] = type, buf[len++] = nd;
    uint32_t dims[3] = {n, r, c};
    for (int d = 0; d < nd; d++)
        for (int s = 24; s >= 0; s -= 8) buf[len++] = (uint8_t)(dims[d] >> s);
    size_t values = c ? (size_t)n * r * c : n;
    for (size_t v = 0; v < values; v++) buf[len++] = (uint8_t)((v * 37 + 11) % 256);
    return len;
}

static void write_plain(const char *name, const uint8_t *b, size_t n) {
    FILE *f = fopen(path_of(name), "wb");
    fwrite(b, 1, n, f);
    fclose(f);
}

static void write_gz(const char *name, const uint8_t *b, size_t n) {
    gzFile f = gzopen(path_of(name), "wb");
    gzwrite(f, b, (unsigned)n);
    gzclose(f);
}

static void good_files(void) {
    uint8_t buf[4096];
    size_t n = make(buf, 0x08, 5, 4, 3);
    write_plain("img", buf, n);
    write_gz("img.gz", buf, n);
    mf_idx a, b;
    CHECK(mf_idx_read(path_of("img"), &a) == MF_OK, "plain: %s", mf_last_error());
    CHECK(mf_idx_read(path_of("img.gz"), &b) == MF_OK, "gzip: %s", mf_last_error());
    CHECK(a.ndims == 3 && a.count == 5 && a.item == 12 && a.dims[1] == 4 && a.dims[2] == 3,
          "shape %d dims, %zu x %zu", a.ndims, a.count, a.item);
    CHECK(b.count == 5 && !memcmp(a.data, b.data, 60), "gzip gives the same 60 values");
    CHECK(a.data[0] == 11 && a.data[59] == (59 * 37 + 11) % 256, "values in file order");
    float *u = mf_idx_unit_floats(&a);
    int exact = 1;
    for (int i = 0; i < 60; i++) exact &= u[i] == a.data[i] / 127.5f - 1.0f;
    CHECK(exact && u[0] == 11 / 127.5f - 1.0f, "scaled v / 127.5 - 1");
    uint8_t ends[2] = {0, 255};
    mf_idx e = {1, {2}, 2, 1, ends};
    float *ue = mf_idx_unit_floats(&e);
    CHECK(ue[0] == -1.0f && ue[1] == 1.0f, "0 -> -1 and 255 -> 1");
    free(u);
    free(ue);
    mf_idx_free(&a);
    mf_idx_free(&b);

    n = make(buf, 0x08, 5, 0, 0);
    write_gz("lab.gz", buf, n);
    mf_idx img, lab;
    CHECK(mf_idx_read_labelled(path_of("img.gz"), path_of("lab.gz"), &img, &lab) == MF_OK,
          "labelled: %s", mf_last_error());
    CHECK(lab.count == 5 && lab.item == 1 && lab.data[4] == (4 * 37 + 11) % 256, "labels");
    mf_idx_free(&img);
    mf_idx_free(&lab);
}

static void refused(const char *name, mf_status want, const char *needle) {
    mf_idx x;
    mf_status st = mf_idx_read(path_of(name), &x);
    CHECK(st == want && strstr(mf_last_error(), needle) && !x.data, "%s: status %d, '%s'",
          name, (int)st, mf_last_error());
}

static void bad_files(void) {
    uint8_t buf[4096];
    size_t n = make(buf, 0x08, 5, 4, 3);
    write_plain("short-data", buf, n - 7);
    write_gz("short-data.gz", buf, n - 7);
    write_plain("short-head", buf, 9);
    write_plain("tiny", buf, 2);
    uint8_t wrong[64];
    memcpy(wrong, buf, 64);
    wrong[0] = 0x1f;
    write_plain("magic", wrong, 64);
    n = make(wrong, 0x0d, 2, 2, 2); /* floats */
    write_plain("float", wrong, n);
    refused("missing", MF_ERR_IO, "cannot read");
    refused("short-data", MF_ERR_FORMAT, "is truncated: the header promises 60 values, the "
                                         "file holds 53");
    refused("short-data.gz", MF_ERR_FORMAT, "is truncated: the header promises 60 values");
    refused("short-head", MF_ERR_FORMAT, "truncated inside its header");
    refused("tiny", MF_ERR_FORMAT, "ends before the 4-byte magic");
    refused("magic", MF_ERR_FORMAT, "is not an IDX file: magic 1f 00 08 03");
    refused("float", MF_ERR_FORMAT, "IDX type 0x0d; only unsigned bytes (0x08)");

    n = make(buf, 0x08, 4, 0, 0);
    write_plain("lab4", buf, n);
    mf_idx img, lab;
    CHECK(mf_idx_read_labelled(path_of("img"), path_of("lab4"), &img, &lab) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "has 4 labels for the 5 images of"),
          "label count: %s", mf_last_error());
    CHECK(mf_idx_read_labelled(path_of("img"), path_of("img"), &img, &lab) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "has 3 dimensions; a label file has 1"),
          "label dims: %s", mf_last_error());
}

int main(void) {
    if (!mkdtemp(dir)) return 1;
    good_files();
    bad_files();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
    return test_finish("test_idx");
}
