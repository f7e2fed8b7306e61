/* CRC-32 (zlib's crc32()) internals. Internal header. */
#ifndef RSCP_CRYPTO_CRC32_H
#define RSCP_CRYPTO_CRC32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Slicing tables (crc32_table.c, generated). */
extern const uint32_t rscp_crypto_crc32_table[16][256];

/* Both take and return the CRC as zlib does (pre- and post-inverted). */
uint32_t rscp_crypto_crc32_sliced(uint32_t crc, const uint8_t *p, size_t len);

/* Carry-less multiplication folding (crc32_pclmul.c). len must be at least
 * 64 and a multiple of 16; only call when rscp_crypto_crc32_pclmul_available(). */
uint32_t rscp_crypto_crc32_pclmul(uint32_t crc, const uint8_t *p, size_t len);
bool rscp_crypto_crc32_pclmul_available(void);

/* The same with 256-bit VPCLMULQDQ (two lanes per instruction); same
 * contract. Only call when rscp_crypto_crc32_vpclmul_available(). */
uint32_t rscp_crypto_crc32_vpclmul(uint32_t crc, const uint8_t *p, size_t len);
bool rscp_crypto_crc32_vpclmul_available(void);

/* The same with 512-bit VPCLMULQDQ and AVX-512F (eight lanes, 128 bytes a
 * step); same contract. Only call when rscp_crypto_crc32_vpclmul512_available(). */
uint32_t rscp_crypto_crc32_vpclmul512(uint32_t crc, const uint8_t *p, size_t len);
bool rscp_crypto_crc32_vpclmul512_available(void);

#endif
