/* Process facts from the kernel: resident memory (/proc/self/status) and
 * the descriptor limit. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_net.h"

long bn_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            if (sscanf(line + 6, "%ld", &kib) != 1)
                kib = -1;
            break;
        }
    }
    fclose(f);
    return kib;
}

unsigned long bn_raise_nofile(unsigned long want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        struct rlimit up = rl;
        up.rlim_cur = want;
        if (up.rlim_max != RLIM_INFINITY && up.rlim_max < want)
            up.rlim_max = want; /* works only with CAP_SYS_RESOURCE */
        if (setrlimit(RLIMIT_NOFILE, &up) != 0 && rl.rlim_max != RLIM_INFINITY) {
            up.rlim_cur = rl.rlim_max;
            up.rlim_max = rl.rlim_max;
            (void)setrlimit(RLIMIT_NOFILE, &up);
        }
        if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
            return 0;
    }
    return rl.rlim_cur == RLIM_INFINITY ? want : (unsigned long)rl.rlim_cur;
}
