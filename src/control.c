#include "monoflow/control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

void mf_control_open(mf_control *c, const char *dir) {
    snprintf(c->path, sizeof c->path, "%s/control", dir);
    c->offset = file_size(c->path);
}

int mf_control_next(mf_control *c, char *cmd, size_t cap) {
    if (file_size(c->path) <= c->offset) return 0; /* the common case: one stat, no open */
    FILE *f = fopen(c->path, "r");
    if (!f) return 0;
    int got = 0;
    if (fseek(f, c->offset, SEEK_SET) == 0 && fgets(cmd, (int)cap, f)) {
        size_t n = strlen(cmd);
        if (n && cmd[n - 1] == '\n') { /* only whole lines: a half-written one waits */
            c->offset += (long)n;
            cmd[n - 1] = 0;
            got = 1;
        } else if (n == cap - 1) { /* longer than any command: skip it */
            c->offset += (long)n;
        }
    }
    fclose(f);
    return got;
}

mf_status mf_control_send(const char *dir, const char *cmd) {
    char path[1100], line[128];
    snprintf(path, sizeof path, "%s/control", dir);
    int n = snprintf(line, sizeof line, "%s\n", cmd);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0) return mf_fail(MF_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    ssize_t w = write(fd, line, (size_t)n);
    int e = errno;
    close(fd);
    if (w != n) return mf_fail(MF_ERR_IO, "cannot write %s: %s", path, strerror(e));
    return MF_OK;
}
