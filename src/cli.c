#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cli_fail(mf_status st) {
    fprintf(stderr, "monoflow: %s\n", mf_last_error());
    return st == MF_ERR_ARG ? EXIT_USAGE : 1;
}

int cli_usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "monoflow: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return EXIT_USAGE;
}

const char *cli_value(int argc, char **argv, int *i) {
    if (*i + 1 >= argc) {
        cli_usage("%s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}
