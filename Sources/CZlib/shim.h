#ifndef SLUICE_CZLIB_SHIM_H
#define SLUICE_CZLIB_SHIM_H
#include <zlib.h>
// inflateInit2/deflateInit2 are macros; these functions make them callable from Swift.
static inline int sluice_inflate_init_raw(z_stream *s) { return inflateInit2(s, -MAX_WBITS); }
static inline int sluice_deflate_init_raw(z_stream *s, int level) { return deflateInit2(s, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY); }
#endif
