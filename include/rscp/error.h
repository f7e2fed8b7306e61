/* librscp: error codes.
 *
 * Every function that can fail returns 0 (RSCP_OK) or a value >= 0 on
 * success and one of the negative codes below on failure. The codes come from
 * one table, RSCP_ERROR_MAP, which also generates their names and messages.
 *
 * "Fatal" errors (F = 1) mean the byte stream can no longer be trusted: a
 * reader or connection that hit one refuses further work until it is reset
 * (for an encrypted stream, the CBC IV chain is broken: the only recovery is
 * a new connection with fresh IVs and a fresh authentication).
 *
 * Errors reported by the device (ERROR-typed blocks in a reply) are not
 * library errors: they are data, see rscp_block_get_error() in value.h. */
#ifndef RSCP_ERROR_H
#define RSCP_ERROR_H

#include "rscp/common.h"

/* X(NAME, value, fatal, "message") */
#define RSCP_ERROR_MAP(X)                                                                   \
    X(OK, 0, 0, "success")                                                                  \
    X(ERR_ARG, -1, 0, "invalid argument")                                                   \
    X(ERR_NOMEM, -2, 0, "out of memory")                                                    \
    X(ERR_NOSPACE, -3, 0, "output buffer too small")                                        \
    X(ERR_TRUNCATED, -4, 0, "input ends inside a structure")                                \
    X(ERR_MAGIC, -5, 1, "bad magic: frame does not start with E3 DC")                       \
    X(ERR_CTRL, -6, 1, "bad control word: reserved bits set")                               \
    X(ERR_VERSION, -7, 1, "bad control word: protocol version is not 1")                    \
    X(ERR_FRAME_TOO_LONG, -8, 1, "frame length beyond the buffer or the configured limit")  \
    X(ERR_CRC, -9, 1, "CRC-32 mismatch")                                                    \
    X(ERR_TRAILING, -10, 0, "trailing bytes after the frame")                               \
    X(ERR_PADDING, -11, 1, "non-zero padding after the frame: wrong key or lost frame")     \
    X(ERR_BLOCK_OVERRUN, -12, 1, "block length runs past the end of its container/frame")  \
    X(ERR_DEPTH, -13, 1, "containers nested deeper than the limit")                         \
    X(ERR_TOO_MANY_BLOCKS, -14, 1, "more blocks than the limit")                            \
    X(ERR_TYPE, -15, 0, "value has another type")                                           \
    X(ERR_LENGTH, -16, 0, "value length does not match its type")                           \
    X(ERR_RANGE, -17, 0, "value out of range for the requested C type")                     \
    X(ERR_NOT_FOUND, -18, 0, "tag not found")                                               \
    X(ERR_UNKNOWN_NAME, -19, 0, "unknown tag, type or name")                                \
    X(ERR_VALUE_TOO_LONG, -20, 0, "value longer than a block can hold")                     \
    X(ERR_STATE, -21, 0, "call not valid in the current state")                             \
    X(ERR_UNSUPPORTED, -22, 0, "not supported on this CPU or build")                        \
    X(ERR_BAD_KEY_DECRYPT, -23, 1, "decrypted data is not a frame: wrong key or lost frame") \
    X(ERR_TIME, -24, 1, "bad timestamp: nanoseconds field is 1e9 or more")                  \
    X(ERR_RESOLVE, -30, 1, "cannot resolve host name")                                      \
    X(ERR_CONNECT, -31, 1, "cannot connect")                                                \
    X(ERR_TIMEOUT, -32, 1, "timed out")                                                     \
    X(ERR_CLOSED, -33, 1, "connection closed by peer")                                      \
    X(ERR_IO, -34, 1, "socket error")                                                       \
    X(ERR_AUTH, -35, 1, "authentication refused: check user name and password")            \
    X(ERR_KEY, -36, 1, "no reply to the authentication: check the RSCP key, or the device accepts no more connections") \
    X(ERR_PROTOCOL, -37, 1, "protocol violation by peer")                                   \
    X(ERR_DEVICE, -38, 0, "device answered with an error block")                            \
    X(ERR_NOT_CONNECTED, -39, 0, "not connected")

enum rscp_error {
#define RSCP_X_ENUM(name, value, fatal, msg) RSCP_##name = (value),
    RSCP_ERROR_MAP(RSCP_X_ENUM)
#undef RSCP_X_ENUM
};

RSCP_BEGIN_DECLS

/* Human-readable message for an error code ("CRC-32 mismatch").
 * Unknown codes give "unknown error". Static storage; thread-safe. */
RSCP_API const char *rscp_strerror(int err);

/* Symbolic name of an error code without prefix ("ERR_CRC", "OK"), or NULL
 * for an unknown code. Static storage; thread-safe. */
RSCP_API const char *rscp_error_name(int err);

/* true when err leaves a reader or connection unusable until reset. */
RSCP_API bool rscp_error_is_fatal(int err);

RSCP_END_DECLS

#endif
