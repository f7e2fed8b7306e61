/* The x86-64 instruction set extensions the crypto code chooses its paths
 * by, read once at load time: CPUID is slow (it traps under a hypervisor).
 * Every flag is false on other architectures and compilers. Internal
 * header. */
#ifndef RSCP_CRYPTO_CPU_H
#define RSCP_CRYPTO_CPU_H

#include <stdbool.h>

struct rscp_cpu {
    bool aes;          /* AES-NI, SSSE3, SSE4.1                                   */
    bool pclmul;       /* PCLMULQDQ, SSE4.1                                       */
    bool vpclmul;      /* 256-bit VPCLMULQDQ, AVX2 (ymm state saved by the OS)    */
    bool vaes;         /* 256-bit VAES, AVX2                                      */
    bool avx512;       /* AVX-512F with the opmask and zmm state saved by the OS  */
    bool avx512_bytes; /* AVX-512 BW, VL and VBMI besides avx512                  */
};

/* Filled by cpu.c before main(); read it through rscp_crypto_cpu(). */
extern struct rscp_cpu rscp_crypto_cpu_features;

/* The flags of this CPU (inline: the CRC-32 dispatch reads them on every
 * call). */
static inline const struct rscp_cpu *rscp_crypto_cpu(void)
{
    return &rscp_crypto_cpu_features;
}

#endif
