/* `monoflow tune`'s parts: the validity rules of the search space, the parameter text and
 * the per-device file (round trip, malformed, missing), and that GEMMs under non-default
 * parameters (direct only, then with the indirect kernel from 128^3) still match the C
 * reference (|d| <= 1e-4 + 1e-4 |ref|) in every transpose pair, thin and large shapes
 * included, with the file applied by a new context. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monoflow/tune.h"
#include "test_gemm_case.h"

static mf_tune_params params(size_t wgd, size_t mc, size_t nc, size_t ma, size_t nb, size_t kw,
                             size_t vm, size_t vn, size_t pa, size_t pb) {
    mf_tune_params p = {MF_TUNE_DIRECT, {wgd, mc, nc, ma, nb, kw, vm, vn, pa, pb}};
    return p;
}

/* Xgemm with GEMMK 0, KREG 1, KWI 2, no strides */
static mf_tune_params xgemm(size_t mwg, size_t nwg, size_t kwg, size_t mc, size_t nc, size_t ma,
                            size_t nb, size_t vm, size_t vn, size_t sa, size_t sb) {
    mf_tune_params p = {MF_TUNE_INDIRECT, {0}};
    size_t *v = p.v;
    v[MF_TX_KREG] = 1, v[MF_TX_KWI] = 2, v[MF_TX_MWG] = mwg, v[MF_TX_NWG] = nwg;
    v[MF_TX_KWG] = kwg, v[MF_TX_MDIMC] = mc, v[MF_TX_NDIMC] = nc, v[MF_TX_MDIMA] = ma;
    v[MF_TX_NDIMB] = nb, v[MF_TX_VWM] = vm, v[MF_TX_VWN] = vn, v[MF_TX_SA] = sa;
    v[MF_TX_SB] = sb;
    return p;
}

static void indirect_validity(void) {
    mf_tune_params p = xgemm(64, 64, 32, 16, 16, 16, 16, 2, 2, 1, 1);
    CHECK(mf_tune_valid(&p, 1024, 32768), "a 64x64 tile of 16x16 threads is valid");
    CHECK(!mf_tune_valid(&p, 128, 32768), "16x16 threads exceed a work-group of 128");
    CHECK(!mf_tune_valid(&p, 1024, 16383), "SA+SB tiles take 16384 bytes of local memory");
    p = xgemm(64, 64, 32, 16, 16, 16, 16, 8, 2, 0, 0);
    CHECK(!mf_tune_valid(&p, 1024, 32768), "MWG 64 is not a multiple of MDIMC 16 x VWM 8");
    p = xgemm(128, 64, 32, 16, 8, 16, 8, 8, 8, 0, 0);
    CHECK(mf_tune_valid(&p, 1024, 32768), "MWG 128 = MDIMC 16 x VWM 8");
    p = xgemm(64, 64, 16, 32, 32, 8, 8, 1, 1, 0, 0);
    CHECK(!mf_tune_valid(&p, 1024, 32768), "KWG 16 is not a multiple of 32x32/8 = 128");
    p.v[MF_TX_GEMMK] = 1;
    CHECK(!mf_tune_valid(&p, 1024, 32768), "GEMMK 1 is outside the searched kernel");
    mf_tune_params *a;
    int na;
    MUST(mf_tune_space(MF_TUNE_INDIRECT, 1024, 65536, 1, &a, &na));
    int all_valid = 1;
    for (int i = 0; i < na; i++) all_valid &= mf_tune_valid(&a[i], 1024, 65536);
    CHECK(na > 1000 && all_valid, "%d valid Xgemm points", na);
    free(a);
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
    MUST(mf_tune_space(MF_TUNE_DIRECT, 1024, 65536, 1, &a, &na));
    MUST(mf_tune_space(MF_TUNE_DIRECT, 1024, 65536, 1, &b, &nb));
    CHECK(na > 1000 && na == nb, "space sizes %d and %d", na, nb);
    int all_valid = 1, same = 1;
    for (int i = 0; i < na; i++) {
        all_valid &= mf_tune_valid(&a[i], 1024, 65536);
        same &= !memcmp(&a[i], &b[i], sizeof a[i]);
    }
    CHECK(all_valid, "every point of the space is valid");
    CHECK(same, "the same seed gives the same order");
    free(b);
    MUST(mf_tune_space(MF_TUNE_DIRECT, 1024, 65536, 2, &b, &nb));
    CHECK(memcmp(a, b, sizeof *a * 8) != 0, "another seed gives another order");
    free(a);
    free(b);
}

/* format gives want, and parse gives p back */
static void round_trip(const mf_tune_params *p, const char *want, const char *what) {
    char buf[256];
    mf_tune_params q;
    mf_tune_format(p, buf, sizeof buf);
    CHECK(!strcmp(buf, want), "%s format: %s", what, buf);
    memset(&q, 0, sizeof q);
    MUST(mf_tune_parse(p->kernel, buf, &q));
    CHECK(q.kernel == p->kernel && !memcmp(p->v, q.v, sizeof p->v),
          "%s: parse gives back what format wrote", what);
}

static void text_round_trip(void) {
    mf_tune_params p = params(32, 16, 8, 16, 8, 8, 2, 4, 0, 1), q;
    round_trip(&p, "WGD=32 MDIMCD=16 NDIMCD=8 MDIMAD=16 NDIMBD=8 KWID=8 VWMD=2 VWND=4 "
                   "PADA=0 PADB=1", "XgemmDirect");
    CHECK(mf_tune_parse(MF_TUNE_DIRECT, "WGD=32 FOO=1", &q) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "unknown tuning parameter 'FOO=1'"),
          "unknown name: %s", mf_last_error());
    CHECK(mf_tune_parse(MF_TUNE_DIRECT, "WGD=32", &q) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "MDIMCD is missing"), "missing: %s", mf_last_error());
    CHECK(mf_tune_parse(MF_TUNE_DIRECT, "WGD=x", &q) == MF_ERR_FORMAT, "a number is needed");
    mf_tune_params x = xgemm(128, 64, 32, 16, 8, 16, 8, 8, 8, 0, 0);
    round_trip(&x, "GEMMK=0 KREG=1 KWG=32 KWI=2 MDIMA=16 MDIMC=16 MWG=128 NDIMB=8 "
                   "NDIMC=8 NWG=64 SA=0 SB=0 STRM=0 STRN=0 VWM=8 VWN=8", "Xgemm");
    CHECK(mf_tune_parse(MF_TUNE_INDIRECT, "GEMMK=0 WGD=8", &q) == MF_ERR_FORMAT,
          "XgemmDirect's names are not Xgemm's");
}

/* the cases a tuning must still get right: every transpose pair, the thin shapes (GEMVs),
 * a 2D input layer, and products big enough for the indirect kernel (scratch, padding) */
static void gemm_cases(mf_ctx *ctx) {
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            check_gemm(ctx, ta, tb, 37, 23, 19, 1.0f, 0.0f);
            check_gemm(ctx, ta, tb, 200, 130, 150, 1.0f, 0.5f); /* 200*130*150 > 128^3 */
        }
    check_gemm(ctx, 0, 1, 256, 1, 128, 1.0f, 0.0f); /* D's output layer */
    check_gemm(ctx, 1, 0, 1, 128, 256, 1.0f, 0.0f); /* its weight gradient */
    check_gemm(ctx, 0, 0, 256, 128, 1, 1.0f, 0.0f); /* its input gradient */
    check_gemm(ctx, 0, 1, 100, 70, 2, 1.0f, 0.0f);  /* a 2D input layer */
    check_gemm(ctx, 0, 1, 128, 784, 300, 1.0f, 0.0f); /* a larger scratch than before */
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void file_and_gemm(void) {
    char dir[] = "/tmp/mf-test-tune-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temporary directory");
    setenv("MONOFLOW_CACHE_DIR", dir, 1);
    mf_device_info dev;
    MUST(mf_device_select(mf_device_spec(NULL), &dev));
    mf_tuning t = {params(16, 8, 8, 8, 8, 2, 2, 2, 1, 1), 0, {MF_TUNE_INDIRECT, {0}}, 0}, q;
    int found = 1;
    MUST(mf_tune_load(&dev, &q, &found));
    CHECK(!found, "no file yet");
    MUST(mf_tune_save(&dev, &t, "test"));
    MUST(mf_tune_load(&dev, &q, &found));
    CHECK(found && !q.indirect_on && !memcmp(t.direct.v, q.direct.v, sizeof t.direct.v),
          "the file gives back the direct parameters");

    mf_ctx *ctx = test_ctx(); /* applies the file */
    char want[640];
    mf_tuning_format(&t, want, sizeof want);
    CHECK(!strcmp(mf_ctx_tuning(ctx), want), "context applied '%s'", mf_ctx_tuning(ctx));
    gemm_cases(ctx);
    mf_ctx_destroy(ctx);

    /* the indirect kernel from 128^3 with other tiles than CLBlast's */
    t.indirect_on = 1;
    t.indirect = xgemm(32, 64, 16, 8, 16, 8, 16, 2, 4, 1, 0);
    t.min_indirect = 128;
    MUST(mf_tune_save(&dev, &t, "test"));
    MUST(mf_tune_load(&dev, &q, &found));
    CHECK(found && q.indirect_on && q.min_indirect == 128 &&
              !memcmp(t.indirect.v, q.indirect.v, sizeof t.indirect.v),
          "the file gives back the indirect parameters and size");
    ctx = test_ctx();
    mf_tuning_format(&t, want, sizeof want);
    CHECK(!strcmp(mf_ctx_tuning(ctx), want), "context applied '%s'", mf_ctx_tuning(ctx));
    CHECK(strstr(want, "from 128^3 indirect GEMMK=0") != NULL, "tuning text: %s", want);
    gemm_cases(ctx);
    mf_ctx_destroy(ctx);

    char path[700];
    MUST(mf_tune_path(&dev, path, sizeof path));
    write_file(path, "XgemmDirect WGD=16 BOGUS=3\n");
    CHECK(mf_tune_load(&dev, &q, &found) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "run `monoflow tune` again or delete it"),
          "malformed file: %s", mf_last_error());
    char text[1200], direct[256], indirect[400];
    mf_tune_format(&t.direct, direct, sizeof direct);
    mf_tune_format(&t.indirect, indirect, sizeof indirect);
    snprintf(text, sizeof text, "XgemmDirect %s\nXgemm %s\n", direct, indirect);
    write_file(path, text);
    CHECK(mf_tune_load(&dev, &q, &found) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "has Xgemm without GemmRoutine"),
          "Xgemm alone: %s", mf_last_error());
    snprintf(text, sizeof text, "XgemmDirect %s\nGemmRoutine XGEMM_MIN_INDIRECT_SIZE=0\n",
             direct);
    write_file(path, text);
    CHECK(mf_tune_load(&dev, &q, &found) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "wants a positive number"), "size 0: %s", mf_last_error());
    write_file(path, "# only a comment\n");
    CHECK(mf_tune_load(&dev, &q, &found) == MF_ERR_FORMAT &&
              strstr(mf_last_error(), "holds no XgemmDirect line"), "empty: %s",
          mf_last_error());
    write_file(path, "XgemmDirect WGD=16 BOGUS=3\n");
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
    indirect_validity();
    text_round_trip();
    file_and_gemm();
    return test_finish("test_tune");
}
