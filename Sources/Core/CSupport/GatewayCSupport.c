// sched_getcpu is a GNU extension, which Swift's Glibc module does not export.
#if defined(__linux__)
#define _GNU_SOURCE
#include <sched.h>
#endif
#include "GatewayCSupport.h"

int gateway_current_core(void) {
#if defined(__linux__)
    int core = sched_getcpu();
    return core < 0 ? 0 : core;
#else
    return 0;
#endif
}
