/* Files written safely: to a temporary name in the same directory, then renamed, so a reader
 * (or a crash) never sees half a file. */
#ifndef MONOFLOW_FILES_H
#define MONOFLOW_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "monoflow/status.h"

/* mkdir -p; 0 on success (errno set otherwise) */
int mf_mkdirs(const char *path);

/* path gets exactly len bytes of data (fsync'ed before the rename) */
mf_status mf_write_bytes_atomic(const char *path, const void *data, size_t len);

/* path gets what fn writes to the FILE */
mf_status mf_write_atomic(const char *path, void (*fn)(FILE *, void *), void *user);

#endif
