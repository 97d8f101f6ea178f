/* Device enumeration and choice: by default, index, type and name; and the messages for a
 * choice that matches nothing. */
#include <string.h>

#include "monoflow/device.h"
#include "test_util.h"

static void expect_no_device(const char *spec, const char *needle) {
    mf_device_info d;
    mf_status st = mf_device_select(spec, &d);
    CHECK(st == MF_ERR_NO_DEVICE, "spec '%s' gave %s", spec, mf_status_str(st));
    CHECK(strstr(mf_last_error(), needle) != NULL, "spec '%s': message '%s' lacks '%s'", spec,
          mf_last_error(), needle);
    CHECK(strstr(mf_last_error(), "monoflow devices") != NULL || !strcmp(spec, "accelerator"),
          "spec '%s': message does not say how to list devices", spec);
}

int main(void) {
    mf_device_info devs[64];
    int n = 0;
    MUST(mf_devices_list(devs, 64, &n));
    CHECK(n >= 1, "no devices listed");
    for (int i = 0; i < n; i++) {
        CHECK(devs[i].index == i, "device %d has index %d", i, devs[i].index);
        CHECK(devs[i].name[0] && devs[i].compute_units > 0 && devs[i].global_mem > 0,
              "device %d lacks basic facts", i);
        CHECK(!strncmp(devs[i].opencl_c_version, "OpenCL C", 8), "device %d: OpenCL C '%s'", i,
              devs[i].opencl_c_version);
    }

    mf_device_info d;
    MUST(mf_device_select(NULL, &d));
    int has_gpu = 0;
    for (int i = 0; i < n; i++) has_gpu |= (devs[i].type & CL_DEVICE_TYPE_GPU) != 0;
    if (has_gpu)
        CHECK(d.type & CL_DEVICE_TYPE_GPU, "default is not a GPU though one exists");
    else
        CHECK(d.type & CL_DEVICE_TYPE_CPU, "default is not the CPU device without a GPU");

    MUST(mf_device_select("0", &d));
    CHECK(d.index == 0 && d.device == devs[0].device, "index 0 picked device %d", d.index);

    /* by name: a lowercase part of the first device's name finds it */
    char part[8] = {0};
    for (int i = 0; i < 4 && devs[0].name[i]; i++)
        part[i] = (char)((devs[0].name[i] >= 'A' && devs[0].name[i] <= 'Z')
                             ? devs[0].name[i] + 32
                             : devs[0].name[i]);
    MUST(mf_device_select(part, &d));
    CHECK(d.index == 0, "name part '%s' picked [%d] '%s', not [0]", part, d.index, d.name);

    const char *type = (devs[0].type & CL_DEVICE_TYPE_GPU) ? "gpu" : "cpu";
    MUST(mf_device_select(type, &d));
    CHECK(!strcmp(mf_device_type_str(d.type), type), "type %s picked a %s", type,
          mf_device_type_str(d.type));

    expect_no_device("no-such-device-anywhere", "no OpenCL device matches 'no-such-device");
    expect_no_device("99", "device index 99 is out of range");
    expect_no_device("12345678", "out of range");

    setenv("MONOFLOW_DEVICE", "from-env", 1);
    CHECK(!strcmp(mf_device_spec(NULL), "from-env"), "MONOFLOW_DEVICE not used");
    CHECK(!strcmp(mf_device_spec("flag"), "flag"), "--device does not win over the env");
    unsetenv("MONOFLOW_DEVICE");
    CHECK(mf_device_spec(NULL) == NULL, "no flag, no env: expected the default");
    return test_finish("test_device");
}
