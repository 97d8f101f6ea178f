/* The leak check of sanitizer builds, run by the programs and tests themselves. */
#ifndef MONOFLOW_LEAKCHECK_H
#define MONOFLOW_LEAKCHECK_H

/* Under the sanitizers: the leak check now, while the OpenCL runtime's threads are idle.
 * LeakSanitizer's own check at exit runs while the runtime tears those threads down and its
 * tracer then crashes now and then ("LeakSanitizer has encountered a fatal error"). A leak
 * found here still ends the process with the sanitizer's report and status. */
#if defined(MF_SANITIZE)
#include <sanitizer/lsan_interface.h>
#define MF_LEAK_CHECK() __lsan_do_leak_check()
#else
#define MF_LEAK_CHECK() ((void)0)
#endif

#endif
