/* A reference point measured in the same run: OpenSSL's AES-256-CBC on
 * 64 KiB buffers, through the `openssl speed` command. (AES-256 is not the
 * RSCP cipher -- its block is half as wide -- but it is the best-known CBC
 * implementation on the same machine.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bench.h"

/* The result line looks like "AES-256-CBC     792788.99k": thousands of
 * bytes per second, one column per requested block size. */
static double parse_speed_line(const char *line)
{
    if (strncasecmp(line, "aes-256-cbc", 11) != 0)
        return -1.0;
    const char *last = NULL;
    for (const char *p = line + 11; *p != '\0'; p++)
        if ((*p == ' ' || *p == '\t') && p[1] != ' ' && p[1] != '\t' && p[1] != '\0' && p[1] != '\n')
            last = p + 1;
    if (last == NULL)
        return -1.0;
    char *end = NULL;
    double v = strtod(last, &end);
    if (end == last || v <= 0.0)
        return -1.0;
    if (*end == 'k')
        v *= 1e3;
    return v / 1e6;
}

double bench_openssl_aes256cbc_mbps(int decrypt)
{
    const char *cmd = decrypt
        ? "openssl speed -evp aes-256-cbc -bytes 65536 -seconds 1 -decrypt 2>/dev/null"
        : "openssl speed -evp aes-256-cbc -bytes 65536 -seconds 1 2>/dev/null";
    fflush(stdout);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1.0;
    char line[512];
    double mbps = -1.0;
    while (fgets(line, sizeof line, p) != NULL) {
        double v = parse_speed_line(line);
        if (v > 0.0)
            mbps = v;
    }
    int status = pclose(p);
    return status == 0 ? mbps : -1.0;
}
