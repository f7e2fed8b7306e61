/* Detection of the x86-64 extensions behind crypto/cpu.h, once at load
 * time. */
#include "crypto/cpu.h"

struct rscp_cpu rscp_crypto_cpu_features;

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <cpuid.h>

static struct rscp_cpu detect(void)
{
    struct rscp_cpu c = {0};
    unsigned eax, ebx, ecx, edx;
    __builtin_cpu_init();
    bool sse41 = __builtin_cpu_supports("sse4.1");
    c.aes = __builtin_cpu_supports("aes") && sse41 && __builtin_cpu_supports("ssse3");
    c.pclmul = __builtin_cpu_supports("pclmul") && sse41;
    /* The avx2 test covers the OS saving the ymm registers. */
    if (!__builtin_cpu_supports("avx2") || !__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return c;
    /* Leaf 7: ECX bit 10 VPCLMULQDQ, bit 9 VAES, bit 1 AVX512_VBMI; EBX bit
     * 16 AVX512F, bit 30 AVX512BW, bit 31 AVX512VL. */
    c.vpclmul = (ecx >> 10) & 1u;
    c.vaes = (ecx >> 9) & 1u;
    if ((ebx >> 16) & 1u) {
        /* XCR0: the OS saves the opmask and zmm state (bits 5, 6, 7)
         * besides SSE and AVX (1, 2). */
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        (void)hi;
        c.avx512 = (lo & 0xE6u) == 0xE6u;
    }
    c.avx512_bytes = c.avx512 && ((ebx >> 30) & 1u) && ((ebx >> 31) & 1u) && ((ecx >> 1) & 1u);
    return c;
}

__attribute__((constructor)) static void cpu_detect(void)
{
    rscp_crypto_cpu_features = detect();
}

#endif
