/* Status codes and error messages of libmonoflow.
 * Every library call returns an mf_status; on failure a one-line message that says what
 * went wrong and what to do is kept per thread and read with mf_last_error(). */
#ifndef MONOFLOW_STATUS_H
#define MONOFLOW_STATUS_H

#include <assert.h>

typedef enum {
    MF_OK = 0,
    MF_ERR_CL,          /* an OpenCL call failed; the message names the call and error */
    MF_ERR_CLBLAST,     /* a CLBlast routine failed */
    MF_ERR_NO_PLATFORM, /* no OpenCL platform (no ICD installed) */
    MF_ERR_NO_DEVICE,   /* no device, or none matches the user's choice */
    MF_ERR_BUILD,       /* an OpenCL program failed to build; the message has the log */
    MF_ERR_ARG,         /* a bad value from the user (size, flag, name) */
    MF_ERR_IO,          /* a file could not be read or written */
    MF_ERR_FORMAT,      /* a file is malformed, truncated or of other shapes */
    MF_ERR_NOMEM,       /* host allocation failed */
    MF_ERR_DIVERGED     /* training produced a loss that is not finite */
} mf_status;

const char *mf_status_str(mf_status s);

/* The last error message of this thread ("" when none). */
const char *mf_last_error(void);

/* Sets the message and returns s, so callers write `return mf_fail(MF_ERR_ARG, ...)`. */
mf_status mf_fail(mf_status s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The name of an OpenCL error code ("CL_OUT_OF_RESOURCES"), or "CL_ERROR(-n)". */
const char *mf_cl_error_str(int code);

/* Programmer errors inside the library: assert with file:line. */
#define MF_ASSERT(cond) assert(cond)

#endif
