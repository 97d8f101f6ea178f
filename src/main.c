/* monoflow: the command-line front door. Each subcommand parses its own flags; bad input gets
 * one line on stderr and exit status 2. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/context.h"
#include "monoflow/demo.h"
#include "monoflow/leakcheck.h"
#include "monoflow/profile.h"
#include "cli.h"

/* a whole number in [lo, hi], or -1 with the message printed */
static long parse_long(const char *flag, const char *s, long lo, long hi) {
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi) {
        fprintf(stderr, "monoflow: %s wants a whole number from %ld to %ld, got '%s'\n", flag,
                lo, hi, s ? s : "");
        return -1;
    }
    return v;
}

static void print_usage(FILE *f) {
    fprintf(f,
            "usage: monoflow COMMAND [flags]\n"
            "\n"
            "commands:\n"
            "  devices              list every OpenCL platform and device\n"
            "  train [flags]        train MonoFlow (`monoflow train --help` lists the flags)\n"
            "  sample RUNDIR -n N --out FILE.csv\n"
            "                       N generated points (flow mode: the particles)\n"
            "  eval RUNDIR [-n N] [--json]\n"
            "                       modes covered, HQ %% and reverse KL (ring8, grid25) and\n"
            "                       the KL estimates E_p[D], -E_q[D], on N samples (2500)\n"
            "  top RUNDIR [--once]  the live view of a run (`monoflow top --help`)\n"
            "  bench [flags]        the same training workloads on every device, PyTorch\n"
            "                       side by side (`monoflow bench --help`)\n"
            "  tune [flags]         tune CLBlast's GEMM for this device and keep the result\n"
            "  demo                 fit an MLP to a fixed regression task on the device\n"
            "  help                 this text\n"
            "\n"
            "device choice (every command that runs on a device):\n"
            "  --device SPEC        index (as `monoflow devices` lists), gpu, cpu, or a\n"
            "                       substring of the device, vendor or platform name;\n"
            "                       default: $MONOFLOW_DEVICE, else the first GPU, else the\n"
            "                       first CPU device\n"
            "\n"
            "demo flags:\n"
            "  --steps N            Adam steps (default 400)\n"
            "  --hidden N           hidden width (default 64)\n"
            "  --profile            print the time per kernel and GEMM\n"
            "\n"
            "environment:\n"
            "  MONOFLOW_DEVICE      the device when --device is not given\n"
            "  MONOFLOW_CACHE_DIR   where compiled kernels are cached (default\n"
            "                       $XDG_CACHE_HOME/monoflow or ~/.cache/monoflow)\n");
}

static void print_bytes(const char *label, unsigned long long b) {
    printf("  %-18s %.1f MiB\n", label, b / 1048576.0);
}

static int cmd_devices(int argc, char **argv) {
    if (argc > 0) return cli_usage("devices takes no arguments, got '%s'", argv[0]);
    mf_device_info devs[64];
    int n = 0;
    mf_status st = mf_devices_list(devs, 64, &n);
    if (st != MF_OK) return cli_fail(st);
    mf_device_info def;
    int def_index = mf_device_select(NULL, &def) == MF_OK ? def.index : -1;
    for (int i = 0; i < n; i++) {
        const mf_device_info *d = &devs[i];
        printf("[%d] %s%s\n", d->index, d->name, d->index == def_index ? "  (default)" : "");
        printf("  %-18s %s (%s)\n", "platform", d->platform_name, d->platform_version);
        printf("  %-18s %s (id 0x%04x)\n", "vendor", d->vendor, d->vendor_id);
        printf("  %-18s %s\n", "type", mf_device_type_str(d->type));
        printf("  %-18s %u\n", "compute units", d->compute_units);
        printf("  %-18s %u MHz\n", "max clock", d->max_clock_mhz);
        print_bytes("global memory", d->global_mem);
        print_bytes("max allocation", d->max_alloc);
        printf("  %-18s %s\n", "OpenCL C", d->opencl_c_version);
        printf("  %-18s %s\n", "driver", d->driver_version);
        printf("  %-18s fp16 %s, fp64 %s\n", "precision", d->fp16 ? "yes" : "no",
               d->fp64 ? "yes" : "no");
    }
    return 0;
}

static void demo_log(int step, double loss, void *user) {
    (void)user;
    printf("  step %4d  mse %.6f\n", step, loss);
}

static int cmd_demo(int argc, char **argv) {
    const char *device = NULL;
    mf_demo_config cfg = {.steps = 400, .points = 512, .hidden = 64, .lr = 3e-3f, .seed = 1};
    int profile = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--device")) {
            if (!v) return cli_usage("--device needs a value (index, gpu, cpu or a name)");
            device = v;
            i++;
        } else if (!strcmp(a, "--steps")) {
            long s = parse_long(a, v, 1, 1000000);
            if (s < 0) return EXIT_USAGE;
            cfg.steps = (int)s;
            i++;
        } else if (!strcmp(a, "--hidden")) {
            long s = parse_long(a, v, 1, 4096);
            if (s < 0) return EXIT_USAGE;
            cfg.hidden = (int)s;
            i++;
        } else if (!strcmp(a, "--profile")) {
            profile = 1;
        } else {
            return cli_usage("unknown flag '%s' for demo; see `monoflow help`", a);
        }
    }
    mf_ctx *ctx;
    mf_status st = mf_ctx_create(mf_device_spec(device), &ctx);
    if (st != MF_OK) return cli_fail(st);
    const mf_device_info *d = mf_ctx_device(ctx);
    const mf_build_info *b = mf_ctx_build_info(ctx);
    printf("device [%d] %s (%s, %s)\n", d->index, d->name, mf_device_type_str(d->type),
           d->platform_name);
    printf("kernels %s in %.2f s\n", b->from_cache ? "loaded from cache" : "compiled",
           b->seconds);
    printf("fitting y = sin(1.5 x0) cos(x1) with MLP 2-%d-%d-1 tanh, %d points, Adam lr %g\n",
           cfg.hidden, cfg.hidden, cfg.points, cfg.lr);
    mf_profile_enable(ctx, profile);
    mf_demo_result r;
    st = mf_demo_regression(ctx, &cfg, 100, demo_log, NULL, &r, NULL, NULL);
    if (st == MF_OK && profile) st = mf_profile_collect(ctx);
    if (st != MF_OK) {
        mf_ctx_destroy(ctx);
        return cli_fail(st);
    }
    printf("final mse %.6f (from %.6f) after %d steps in %.2f s (%.0f steps/s)\n", r.loss_last,
           r.loss_first, cfg.steps, r.seconds, cfg.steps / r.seconds);
    printf("device memory held %.2f MiB (peak)\n", mf_ctx_bytes_peak(ctx) / 1048576.0);
    if (profile) {
        printf("device time by kernel (whole run):\n");
        mf_profile_print(ctx, stdout, 1);
    }
    mf_ctx_destroy(ctx);
    return 0;
}

static int run_command(int argc, char **argv) {
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    setlocale(LC_CTYPE, ""); /* the viewer draws UTF-8 when the terminal's locale is; numbers
                                stay in the C locale */
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        print_usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("monoflow 0.1.0\n");
        return 0;
    }
    if (!strcmp(cmd, "devices")) return cmd_devices(argc - 2, argv + 2);
    if (!strcmp(cmd, "demo")) return cmd_demo(argc - 2, argv + 2);
    if (!strcmp(cmd, "train")) return cli_train(argc - 2, argv + 2);
    if (!strcmp(cmd, "sample")) return cli_sample(argc - 2, argv + 2);
    if (!strcmp(cmd, "eval")) return cli_eval(argc - 2, argv + 2);
    if (!strcmp(cmd, "top")) return cli_top(argc - 2, argv + 2);
    if (!strcmp(cmd, "tune")) return cli_tune(argc - 2, argv + 2);
    if (!strcmp(cmd, "bench")) return cli_bench(argc - 2, argv + 2);
    return cli_usage("unknown command '%s'; run `monoflow help` for the list", cmd);
}

int main(int argc, char **argv) {
    int rc = run_command(argc, argv);
    MF_LEAK_CHECK();
    return rc;
}
