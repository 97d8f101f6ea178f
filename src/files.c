#include "monoflow/files.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mf_mkdirs(const char *path) {
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return (mkdir(tmp, 0755) != 0 && errno != EEXIST) ? -1 : 0;
}

static void write_bytes(FILE *f, void *user) {
    const struct { const void *data; size_t len; } *b = user;
    fwrite(b->data, 1, b->len, f);
}

mf_status mf_write_bytes_atomic(const char *path, const void *data, size_t len) {
    struct { const void *data; size_t len; } b = {data, len};
    return mf_write_atomic(path, write_bytes, &b);
}

mf_status mf_write_atomic(const char *path, void (*fn)(FILE *, void *), void *user) {
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) return mf_fail(MF_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    fn(f, user);
    int ok = !ferror(f) && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        return mf_fail(MF_ERR_IO, "cannot write %s: %s", path, strerror(e));
    }
    return MF_OK;
}
