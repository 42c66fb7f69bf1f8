#ifndef LLMGATEWAY_CZLIB_SHIM_H
#define LLMGATEWAY_CZLIB_SHIM_H

#include <zlib.h>

/* deflateInit2 and inflateInit2 are macros in zlib.h; Swift needs functions. */

static inline int czlib_deflate_init_gzip(z_streamp stream, int level) {
    /* windowBits 15 + 16: gzip framing. */
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init_auto(z_streamp stream) {
    /* windowBits 15 + 32: detect gzip or zlib framing. */
    return inflateInit2(stream, 15 + 32);
}

#endif
