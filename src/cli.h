/* Helpers shared by the subcommands of the monoflow program. */
#ifndef MONOFLOW_CLI_H
#define MONOFLOW_CLI_H

#include "monoflow/status.h"

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130

/* prints "monoflow: <message>" and returns the exit status for st */
int cli_fail(mf_status st);
/* prints "monoflow: <formatted>" and returns EXIT_USAGE */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* the value after flag argv[*i], advancing *i; NULL (message printed) when missing */
const char *cli_value(int argc, char **argv, int *i);

int cli_train(int argc, char **argv);
int cli_sample(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_top(int argc, char **argv);
int cli_tune(int argc, char **argv);
int cli_bench(int argc, char **argv);

#endif
