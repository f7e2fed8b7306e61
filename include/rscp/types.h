/* librscp: the 18 RSCP value types and wire-size constants. Pure; no state. */
#ifndef RSCP_TYPES_H
#define RSCP_TYPES_H

#include "rscp/common.h"

/* Type codes as they appear in the type byte of a data block. A block may
 * carry any other code too (tag drift): such blocks are kept as raw bytes. */
enum rscp_type {
    RSCP_TYPE_NONE = 0x00,
    RSCP_TYPE_BOOL = 0x01,
    RSCP_TYPE_CHAR8 = 0x02,
    RSCP_TYPE_UCHAR8 = 0x03,
    RSCP_TYPE_INT16 = 0x04,
    RSCP_TYPE_UINT16 = 0x05,
    RSCP_TYPE_INT32 = 0x06,
    RSCP_TYPE_UINT32 = 0x07,
    RSCP_TYPE_INT64 = 0x08,
    RSCP_TYPE_UINT64 = 0x09,
    RSCP_TYPE_FLOAT32 = 0x0A,
    RSCP_TYPE_DOUBLE64 = 0x0B,
    RSCP_TYPE_BITFIELD = 0x0C,
    RSCP_TYPE_CSTRING = 0x0D,
    RSCP_TYPE_CONTAINER = 0x0E,
    RSCP_TYPE_TIMESTAMP = 0x0F,
    RSCP_TYPE_BYTEARRAY = 0x10,
    RSCP_TYPE_ERROR = 0xFF
};

/* Wire layout. */
#define RSCP_HEADER_SIZE 18u        /* magic, control, seconds, nanoseconds, length */
#define RSCP_CRC_SIZE 4u            /* CRC-32 after the data when the flag is set   */
#define RSCP_BLOCK_HEADER_SIZE 7u   /* tag(4) type(1) length(2)                     */
#define RSCP_MAX_DATA_LEN 65535u    /* the length field is a uint16                 */
#define RSCP_MAX_FRAME_SIZE (RSCP_HEADER_SIZE + RSCP_MAX_DATA_LEN + RSCP_CRC_SIZE)
#define RSCP_CIPHER_BLOCK_SIZE 32u  /* Rijndael-256 block                           */
/* Largest frame once zero-padded to whole cipher blocks (65,568 bytes). */
#define RSCP_MAX_WIRE_SIZE \
    ((RSCP_MAX_FRAME_SIZE + RSCP_CIPHER_BLOCK_SIZE - 1u) / RSCP_CIPHER_BLOCK_SIZE * RSCP_CIPHER_BLOCK_SIZE)
/* Largest value one block carries (vendor sample code limit). */
#define RSCP_MAX_VALUE_LEN 0xFFF8u
#define RSCP_TIMESTAMP_SIZE 12u

/* Tag layout: namespace in the top byte, bit 23 marks responses. */
#define RSCP_TAG_RESPONSE_BIT 0x00800000u
#define RSCP_TAG_NAMESPACE(tag) ((uint8_t)((uint32_t)(tag) >> 24))

/* Seconds since the Unix epoch and nanoseconds (< 1e9). */
struct rscp_timestamp {
    int64_t seconds;
    uint32_t nanoseconds;
};

RSCP_BEGIN_DECLS

/* Name of a type code as in types.tsv ("INT32"), or NULL for an unknown
 * code. Static storage; thread-safe. */
RSCP_API const char *rscp_type_name(int type);

/* Type code for a name ("INT32", case-insensitive), or for a code written as
 * "0x42"; RSCP_ERR_UNKNOWN_NAME when it is neither. */
RSCP_API int rscp_type_from_name(const char *name);

/* Fixed value size of a type: 0..12 for fixed types, -1 for the variable
 * ones (BITFIELD, CSTRING, CONTAINER, BYTEARRAY) and for unknown codes. */
RSCP_API int rscp_type_size(int type);

/* true for the 18 codes of enum rscp_type. */
RSCP_API bool rscp_type_is_known(int type);

RSCP_END_DECLS

#endif
