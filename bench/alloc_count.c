/* Allocation counting for the benchmark: the program defines the C
 * allocation entry points itself and forwards them to glibc's internal
 * allocator (__libc_malloc & co.), counting every call. Symbols in the
 * executable take precedence over libc's, so calls made by the library and
 * by libc itself are counted too. free() is left to libc.
 *
 * Only with glibc and without a sanitizer (ASan brings its own allocator and
 * must keep it); elsewhere counting is reported as unavailable. */
#include <errno.h>
#include <stdlib.h>

#include "bench.h"

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define BENCH_COUNT_ALLOCS 1
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#undef BENCH_COUNT_ALLOCS
#define BENCH_COUNT_ALLOCS 0
#endif
#endif
#else
#define BENCH_COUNT_ALLOCS 0
#endif

static uint64_t alloc_calls;

/* Counting works when one malloc() through a pointer the compiler cannot
 * see through (so the call is not optimised away) moves the counter. */
int bench_alloc_counting(void)
{
    static int verified = -1;
    if (verified < 0) {
        void *(*volatile alloc)(size_t) = malloc;
        uint64_t before = bench_alloc_calls();
        free(alloc(16));
        verified = BENCH_COUNT_ALLOCS && bench_alloc_calls() == before + 1u;
    }
    return verified;
}

uint64_t bench_alloc_calls(void)
{
    return __atomic_load_n(&alloc_calls, __ATOMIC_RELAXED);
}

#if BENCH_COUNT_ALLOCS

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);

static void count_call(void)
{
    __atomic_fetch_add(&alloc_calls, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t n)
{
    count_call();
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    count_call();
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    count_call();
    return __libc_realloc(p, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    count_call();
    return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    count_call();
    if (align < sizeof(void *) || (align & (align - 1u)) != 0)
        return EINVAL;
    void *p = __libc_memalign(align, n);
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}

#endif
