#ifndef GATEWAY_C_SUPPORT_H
#define GATEWAY_C_SUPPORT_H

/// The core the calling thread runs on, or 0 where that is not known. On Linux glibc reads it
/// from the kernel's rseq area, without a system call. Only a hint: the thread may move at once.
int gateway_current_core(void);

#endif
