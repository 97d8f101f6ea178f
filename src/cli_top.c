/* monoflow top RUNDIR [--once] [--ascii] [--no-color] [--rate N]: the viewer of a run that
 * another process trains (or has trained). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tui.h"

static void top_help(void) {
    printf("usage: monoflow top RUNDIR [--once] [--ascii] [--no-color] [--rate N]\n\n"
           "Shows a run live: losses, the map of D = log p/q with real and generated samples,\n"
           "histograms of D, the device. RUNDIR is a run directory `monoflow train` writes;\n"
           "quit and attach again at will, the run goes on. Keys: q quit, p pause/resume,\n"
           "s checkpoint now, + and - change eps, tab or arrows switch panels, r D or r = exp D,\n"
           "o overlaid histograms, ? help. Steering keys reach the trainer through RUNDIR/control.\n\n"
           "  --once       print one plain-text snapshot and exit (for logs and scripts)\n"
           "  --ascii      ASCII drawing only (automatic without a UTF-8 locale)\n"
           "  --no-color   no colours\n"
           "  --rate N     frames per second at most [4]\n");
}

int cli_top(int argc, char **argv) {
    mfv_opts o;
    mfv_opts_default(&o);
    const char *dir = NULL;
    int once = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            top_help();
            return 0;
        }
        if (!strcmp(argv[i], "--once")) {
            once = 1;
            continue;
        }
        int v = mfv_opts_parse(&o, argc, argv, &i);
        if (v < 0) return EXIT_USAGE;
        if (v > 0) continue;
        if (argv[i][0] == '-')
            return cli_usage("unknown flag '%s' for top; run `monoflow top --help`", argv[i]);
        if (dir) return cli_usage("top takes one run directory, got '%s' and '%s'", dir, argv[i]);
        dir = argv[i];
    }
    if (!dir) return cli_usage("top needs a run directory: monoflow top RUNDIR");
    return once ? mfv_once(dir, &o, stdout) : mfv_top(dir, &o);
}
