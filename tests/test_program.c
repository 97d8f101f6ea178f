/* Kernel builds: the disk cache (a second start loads instead of compiling; a corrupt file
 * is rebuilt and replaced; no temporary files are left), -cl-std only where the device's
 * OpenCL C allows it, and a bad kernel source failing with its build log. */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monoflow/program.h"
#include "test_util.h"

static int count_files(const char *dir, const char *suffix) {
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name), s = strlen(suffix);
        if (l >= s && !strcmp(e->d_name + l - s, suffix)) n++;
    }
    if (d) closedir(d);
    return n;
}

static void test_cache(void) {
    char dir[] = "/tmp/monoflow-cache-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp failed");
    char sub[300];
    snprintf(sub, sizeof sub, "%s/nested/dir", dir); /* created on demand */
    setenv("MONOFLOW_CACHE_DIR", sub, 1);

    mf_ctx *a = test_ctx();
    mf_build_info first = *mf_ctx_build_info(a);
    mf_ctx_destroy(a);
    CHECK(!first.from_cache && first.cache_written, "first start: from_cache %d written %d",
          first.from_cache, first.cache_written);
    struct stat st;
    CHECK(stat(first.path, &st) == 0 && st.st_size > 0, "cache file %s missing", first.path);
    CHECK(strncmp(first.path, sub, strlen(sub)) == 0, "cache file %s not under %s", first.path,
          sub);

    mf_ctx *b = test_ctx();
    mf_build_info second = *mf_ctx_build_info(b);
    mf_ctx_destroy(b);
    CHECK(second.from_cache, "second start recompiled instead of loading %s", second.path);
    printf("kernel program: compiled in %.3f s, loaded from cache in %.3f s\n", first.seconds,
           second.seconds);

    /* a truncated cache file is rebuilt and replaced, never trusted */
    CHECK(truncate(first.path, st.st_size / 2) == 0, "truncate failed");
    mf_ctx *c = test_ctx();
    mf_build_info third = *mf_ctx_build_info(c);
    mf_ctx_destroy(c);
    CHECK(!third.from_cache && third.cache_written, "truncated cache: from_cache %d written %d",
          third.from_cache, third.cache_written);
    mf_ctx *d = test_ctx();
    CHECK(mf_ctx_build_info(d)->from_cache, "the replaced cache file was not used");
    mf_ctx_destroy(d);
    CHECK(count_files(sub, ".clbin") == 1, "expected one cache file");
    CHECK(count_files(sub, "") == 3, "temporary files left in %s", sub); /* ., .., file */

    /* a cache directory that cannot exist: the build still works, nothing is stored */
    setenv("MONOFLOW_CACHE_DIR", "/proc/monoflow-cannot-exist", 1);
    mf_ctx *e = test_ctx();
    CHECK(!mf_ctx_build_info(e)->from_cache && !mf_ctx_build_info(e)->cache_written,
          "unwritable cache directory: expected a plain build");
    mf_ctx_destroy(e);
    unsetenv("MONOFLOW_CACHE_DIR");
    remove(first.path);
    char p[320];
    snprintf(p, sizeof p, "%s/nested/dir", dir), rmdir(p);
    snprintf(p, sizeof p, "%s/nested", dir), rmdir(p);
    rmdir(dir);
}

static void test_options(void) {
    mf_device_info dev = {0};
    char buf[128];
    strcpy(dev.opencl_c_version, "OpenCL C 1.1 ");
    mf_build_options(&dev, "-DX=1", buf, sizeof buf);
    CHECK(strstr(buf, "-cl-std") == NULL, "OpenCL C 1.1 got '%s'", buf);
    CHECK(strstr(buf, "-DX=1") != NULL, "extra options lost: '%s'", buf);
    strcpy(dev.opencl_c_version, "OpenCL C 1.2 PoCL");
    mf_build_options(&dev, NULL, buf, sizeof buf);
    CHECK(strstr(buf, "-cl-std=CL1.2") != NULL, "OpenCL C 1.2 got '%s'", buf);
    strcpy(dev.opencl_c_version, "OpenCL C 3.0");
    mf_build_options(&dev, NULL, buf, sizeof buf);
    CHECK(strstr(buf, "-cl-std=CL1.2") != NULL, "OpenCL C 3.0 got '%s'", buf);
    strcpy(dev.opencl_c_version, "garbage");
    mf_build_options(&dev, NULL, buf, sizeof buf);
    CHECK(strstr(buf, "-cl-std") == NULL, "unparsable version got '%s'", buf);
}

static void test_bad_source(void) {
    setenv("MONOFLOW_CACHE_DIR", "/proc/monoflow-cannot-exist", 1);
    mf_ctx *ctx = test_ctx();
    const char *src = "__kernel void broken(__global float *x) { x[0] = no_such_name; }\n";
    cl_program prog = NULL;
    mf_build_info info;
    mf_status st = mf_program_build(mf_ctx_cl(ctx), mf_ctx_device(ctx), src, strlen(src), NULL,
                                    &prog, &info);
    CHECK(st == MF_ERR_BUILD, "bad source gave %s", mf_status_str(st));
    CHECK(strstr(mf_last_error(), "build log") != NULL, "no build log in: %s", mf_last_error());
    CHECK(strstr(mf_last_error(), "no_such_name") != NULL,
          "the build log does not name the error: %s", mf_last_error());
    CHECK(prog == NULL, "a failed build returned a program");
    mf_ctx_destroy(ctx);
    unsetenv("MONOFLOW_CACHE_DIR");
}

int main(void) {
    test_options();
    test_cache();
    test_bad_source();
    return test_finish("test_program");
}
