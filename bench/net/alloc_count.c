/* Allocation counting for the network benchmark: the program defines the C
 * allocation entry points and forwards them to glibc's internal allocator
 * (__libc_malloc & co.). Symbols in the executable take precedence over
 * libc's, so calls made by the library and by libc are counted too.
 *
 * Counts are kept per thread (_Thread_local in the executable: static TLS,
 * which needs no allocation), so the client thread's allocations can be
 * told from those of a server thread in the same process. free() is left
 * to libc. Only with glibc and without a sanitizer (which brings its own
 * allocator); elsewhere counting is reported as unavailable. */
#include <errno.h>
#include <stdlib.h>

#include "bench_net.h"

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define BN_COUNT_ALLOCS 1
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#undef BN_COUNT_ALLOCS
#define BN_COUNT_ALLOCS 0
#endif
#endif
#else
#define BN_COUNT_ALLOCS 0
#endif

static _Thread_local uint64_t thread_calls;

uint64_t bn_alloc_thread_calls(void)
{
    return thread_calls;
}

/* Counting works when one malloc() through a pointer the compiler cannot
 * see through moves the counter by exactly one. */
int bn_alloc_counting(void)
{
    void *(*volatile alloc)(size_t) = malloc;
    uint64_t before = bn_alloc_thread_calls();
    free(alloc(16));
    return BN_COUNT_ALLOCS && bn_alloc_thread_calls() == before + 1u;
}

#if BN_COUNT_ALLOCS

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);

void *malloc(size_t n)
{
    thread_calls++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    thread_calls++;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    thread_calls++;
    return __libc_realloc(p, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    thread_calls++;
    return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    thread_calls++;
    if (align < sizeof(void *) || (align & (align - 1u)) != 0)
        return EINVAL;
    void *p = __libc_memalign(align, n);
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}

#endif
