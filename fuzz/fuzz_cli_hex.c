/* Fuzz target: the hex input parser of `rscp decode` (cli/hex.c).
 *
 * Input: byte 0 chooses the output capacity (0..255 bytes, 255: the input
 * size), the rest is the hex text (not NUL-terminated). Invariants (abort()
 * when broken): the byte count never exceeds the capacity; a success gives
 * exactly the bytes of the hex digits (checked by a second, independent
 * decoder that accepts the same separators); a refusal leaves a
 * NUL-terminated message; the streaming decoder fed the text in two
 * pieces (split at byte 0 modulo the length) gives the same bytes, or the
 * same message, as the whole text. */
#include "fuzz_walk.h"

#include "cli.h"

static int digit(unsigned char c)
{
    static const char hex[] = "0123456789abcdef0123456789ABCDEF";
    const char *p = c ? memchr(hex, c, sizeof hex - 1) : NULL;
    return p ? (int)((p - hex) % 16) : -1;
}

/* The digits of s in order (skipping separators and "0x" prefixes the way
 * the parser documents them); -1 if s has anything else. */
static long reference(const unsigned char *s, size_t len, uint8_t *out)
{
    size_t n = 0, digits = 0;
    int hi = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (strchr(" \t\n\r:-,", c) && c)
            continue;
        if (digits % 2 == 0 && c == '0' && i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            i++;
            continue;
        }
        int v = digit(c);
        if (v < 0)
            return -1;
        if (digits++ % 2 == 0)
            hi = v;
        else
            out[n++] = (uint8_t)(hi << 4 | v);
    }
    return digits % 2 ? -1 : (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t len = size - 1;
    size_t cap = data[0] == 255 ? len : data[0];
    /* Exactly sized heap copies so that any over-read or over-write hits
     * the sanitizer. */
    char *s = malloc(len ? len : 1);
    uint8_t *out = malloc(cap ? cap : 1);
    uint8_t *ref = malloc(len / 2 + 1);
    if (!s || !out || !ref)
        goto done;
    memcpy(s, data + 1, len);
    char err[160];
    memset(err, 'x', sizeof err);
    long n = cli_hex_decode(s, len, out, cap, err, sizeof err);
    long r = reference((const unsigned char *)s, len, ref);
    if (n >= 0) {
        if ((size_t)n > cap)
            fuzz_fail("more bytes than the capacity");
        if (r != n || memcmp(out, ref, (size_t)n) != 0)
            fuzz_fail("decoded bytes differ from the hex digits");
    } else {
        if (n != -1 || memchr(err, '\0', sizeof err) == NULL)
            fuzz_fail("refusal without a message");
        if (r >= 0 && (size_t)r <= cap && !strstr(err, "separator"))
            fuzz_fail("valid hex refused");
    }
    /* In two pieces, with room enough for every byte. */
    size_t room = len / 2 + 1, split = len ? data[0] % (len + 1) : 0;
    uint8_t *whole = malloc(room), *parts = malloc(room);
    if (whole && parts) {
        char werr[160], perr[160];
        memset(werr, 0, sizeof werr);
        memset(perr, 0, sizeof perr);
        long w = cli_hex_decode(s, len, whole, room, werr, sizeof werr);
        struct cli_hex_state st;
        cli_hex_init(&st);
        long a = cli_hex_feed(&st, s, split, parts, room, perr, sizeof perr);
        long b = a < 0 ? -1 : cli_hex_feed(&st, s + split, len - split, parts + a, room - (size_t)a, perr, sizeof perr);
        long p = b < 0 ? -1 : cli_hex_finish(&st, perr, sizeof perr) < 0 ? -1 : a + b;
        if (w != p || (w >= 0 && memcmp(whole, parts, (size_t)w) != 0))
            fuzz_fail("the pieces decode differently from the whole");
        if (w < 0 && strcmp(werr, perr) != 0)
            fuzz_fail("the pieces give another message than the whole");
    }
    free(whole);
    free(parts);
done:
    free(s);
    free(out);
    free(ref);
    return 0;
}
