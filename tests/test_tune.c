/* `monoflow tune`'s parts: the validity rules of the search space, the parameter text and
 * the per-device file (round trip, malformed, missing), and that GEMMs under a non-default
 * parameter set still match the C reference (|d| <= 1e-4 + 1e-4 |ref|) in every transpose
 * pair, thin shapes included, with the file applied by a new context. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monoflow/tune.h"
#include "test_gemm_case.h"

static mf_tune_params params(size_t wgd, size_t mc, size_t nc, size_t ma, size_t nb, size_t kw,
                             size_t vm, size_t vn, size_t pa, size_t pb) {
    mf_tune_params p = {{wgd, mc, nc, ma, nb, kw, vm, vn, pa, pb}};
    return p;
}

static void validity(void) {
    mf_tune_params def = params(8, 8, 8, 8, 8, 2, 1, 1, 1, 1);
    CHECK(mf_tune_valid(&def, 1024, 32768), "CLBlast's default shape is valid");
    mf_tune_params p = params(8, 8, 8, 8, 8, 16, 1, 1, 1, 1);
    CHECK(!mf_tune_valid(&p, 1024, 32768), "WGD 8 is not a multiple of KWID 16");
    p = params(8, 8, 8, 8, 8, 2, 2, 1, 1, 1);
    CHECK(!mf_tune_valid(&p, 1024, 32768), "WGD 8 is not a multiple of MDIMCD 8 x VWMD 2");
    p = params(32, 32, 32, 32, 32, 2, 1, 1, 0, 0);
    CHECK(mf_tune_valid(&p, 1024, 32768), "32 x 32 threads fit 1024");
    CHECK(!mf_tune_valid(&p, 256, 32768), "32 x 32 threads exceed a work-group of 256");
    p = params(64, 8, 8, 8, 8, 2, 1, 1, 1, 1);
    CHECK(mf_tune_valid(&p, 1024, 65536), "WGD 64 tiles take 33280 bytes");
    CHECK(!mf_tune_valid(&p, 1024, 32768), "33280 bytes exceed 32 KiB of local memory");

    mf_tune_params *a, *b;
    int na, nb;
    MUST(mf_tune_space(1024, 65536, 1, &a, &na));
    MUST(mf_tune_space(1024, 65536, 1, &b, &nb));
    CHECK(na > 1000 && na == nb, "space sizes %d and %d", na, nb);
    int all_valid = 1, same = 1;
    for (int i = 0; i < na; i++) {
        all_valid &= mf_tune_valid(&a[i], 1024, 65536);
        same &= !memcmp(&a[i], &b[i], sizeof a[i]);
    }
    CHECK(all_valid, "every point of the space is valid");
    CHECK(same, "the same seed gives the same order");
    free(b);
    MUST(mf_tune_space(1024, 65536, 2, &b, &nb));
    CHECK(memcmp(a, b, sizeof *a * 8) != 0, "another seed gives another order");
    free(a);
    free(b);
}

static void text_round_trip(void) {
    mf_tune_params p = params(32, 16, 8, 16, 8, 8, 2, 4, 0, 1), q;
    char buf[256];
    mf_tune_format(&p, buf, sizeof buf);
    CHECK(!strcmp(buf, "WGD=32 MDIMCD=16 NDIMCD=8 MDIMAD=16 NDIMBD=8 KWID=8 VWMD=2 VWND=4 "
                       "PADA=0 PADB=1"), "format: %s", buf);
    memset(&q, 0, sizeof q);
    MUST(mf_tune_parse(buf, &q));
    CHECK(!memcmp(&p, &q, sizeof p), "parse gives back what format wrote");
    CHECK(mf_tune_parse("WGD=32 FOO=1", &q) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "unknown tuning parameter 'FOO=1'"),
          "unknown name: %s", mf_last_error());
    CHECK(mf_tune_parse("WGD=32", &q) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "MDIMCD is missing"), "missing: %s", mf_last_error());
    CHECK(mf_tune_parse("WGD=x", &q) == MF_ERR_FORMAT, "a number is needed");
}

static void file_and_gemm(void) {
    char dir[] = "/tmp/mf-test-tune-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temporary directory");
    setenv("MONOFLOW_CACHE_DIR", dir, 1);
    mf_device_info dev;
    MUST(mf_device_select(mf_device_spec(NULL), &dev));
    mf_tune_params p = params(16, 8, 8, 8, 8, 2, 2, 2, 1, 1), q;
    int found = 1;
    MUST(mf_tune_load(&dev, &q, &found));
    CHECK(!found, "no file yet");
    MUST(mf_tune_save(&dev, &p, "test"));
    MUST(mf_tune_load(&dev, &q, &found));
    CHECK(found && !memcmp(&p, &q, sizeof p), "the file gives back the parameters");

    mf_ctx *ctx = test_ctx(); /* applies the file */
    char want[256];
    mf_tune_format(&p, want, sizeof want);
    CHECK(!strcmp(mf_ctx_tuning(ctx), want), "context applied '%s'", mf_ctx_tuning(ctx));
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) check_gemm(ctx, ta, tb, 37, 23, 19, 1.0f, 0.0f);
    check_gemm(ctx, 0, 1, 256, 1, 128, 1.0f, 0.0f); /* D's output layer */
    check_gemm(ctx, 1, 0, 1, 128, 256, 1.0f, 0.0f); /* its weight gradient */
    check_gemm(ctx, 0, 0, 256, 128, 1, 1.0f, 0.0f); /* its input gradient */
    check_gemm(ctx, 0, 1, 100, 70, 2, 1.0f, 0.0f);  /* a 2D input layer */
    mf_ctx_destroy(ctx);

    char path[700];
    MUST(mf_tune_path(&dev, path, sizeof path));
    FILE *f = fopen(path, "w");
    fputs("XgemmDirect WGD=16 BOGUS=3\n", f);
    fclose(f);
    CHECK(mf_tune_load(&dev, &q, &found) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "run `monoflow tune` again or delete it"),
          "malformed file: %s", mf_last_error());
    mf_ctx *bad = NULL;
    CHECK(mf_ctx_create(mf_device_spec(NULL), &bad) == MF_ERR_FORMAT && !bad,
          "a context refuses a malformed tuning file");
    CHECK(mf_ctx_create_flags(mf_device_spec(NULL), MF_CTX_GEMM_DEFAULTS, &bad) == MF_OK,
          "MF_CTX_GEMM_DEFAULTS ignores it");
    CHECK(bad && !*mf_ctx_tuning(bad), "and runs on CLBlast's own parameters");
    mf_ctx_destroy(bad);
    unlink(path);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
}

int main(void) {
    validity();
    text_round_trip();
    file_and_gemm();
    return test_finish("test_tune");
}
