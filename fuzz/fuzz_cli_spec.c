/* Fuzz target: the request-spec parser of `rscp get` (cli/spec.c) and the
 * values it reads as text (cli/value_text.c).
 *
 * Input: the spec text ("BAT.REQ_DATA{BAT.INDEX=0,BAT.REQ_RSOC}"), as one
 * NUL-terminated string of exactly that size. Also, with byte 0 as a type
 * code, bytes 1.. as a value of that type (cli_put_text_value).
 * Invariants (abort() when broken): a spec or value that is accepted gives
 * well-formed blocks (rscp_validate); one that is refused leaves a
 * NUL-terminated message; a NUL inside the input ends the spec. Also, as
 * the value of the secret RSCP.AUTHENTICATION_PASSWORD (with a type chosen
 * by byte 0, plain or quoted, followed by more items), a value marked by a
 * leading 0x01 byte: no message may quote any of it (the mark is the only
 * 0x01 and the only backslash in the spec; messages show it as \x01). */
#include "fuzz_walk.h"

#include "cli.h"

#define BUF_CAP (RSCP_MAX_FRAME_SIZE + 4096u)

static uint8_t out[BUF_CAP];

static void check_built(struct rscp_builder *b, int rc, const char *err, size_t errcap)
{
    size_t n = 0;
    if (rc == 0) {
        int frc = rscp_builder_finish(b, &n);
        if (frc == 0 && rscp_validate(out, n, NULL, NULL) != 0)
            fuzz_fail("accepted input gave malformed blocks");
    } else if (memchr(err, '\0', errcap) == NULL || err[0] == '\0') {
        fuzz_fail("refused input without a message");
    }
}

static void check_secret(const uint8_t *data, size_t size)
{
    static const char *const types[] = {"", ":CSTRING", ":UINT32", ":FLOAT32", ":TIMESTAMP", ":BYTEARRAY", ":BOOL"};
    if (size < 2)
        return;
    const char *type = types[data[0] % (sizeof types / sizeof types[0])];
    bool quoted = data[0] & 0x80;
    char *spec = malloc(size + 64);
    if (!spec)
        return;
    int n = snprintf(spec, 64, "RSCP.AUTHENTICATION_PASSWORD%s=%s\x01", type, quoted ? "\"" : "");
    size_t k = (size_t)n;
    for (size_t i = 1; i < size && data[i]; i++)
        spec[k++] = data[i] == 0x01 || data[i] == '\\' ? 'q' : (char)data[i];
    spec[k] = '\0';
    char err[512];
    struct rscp_builder b;
    memset(err, 'x', sizeof err);
    rscp_builder_init(&b, out, sizeof out);
    if (cli_spec_put(&b, spec, err, sizeof err) != 0 &&
        (memchr(err, 0x01, strnlen(err, sizeof err)) || strstr(err, "\\x01")))
        fuzz_fail("a secret value in a message");
    free(spec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1u << 16)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    char err[512];
    struct rscp_builder b;
    memset(err, 'x', sizeof err);
    rscp_builder_init(&b, out, sizeof out);
    check_built(&b, cli_spec_put(&b, text, err, sizeof err), err, sizeof err);

    /* A tiny message buffer: still terminated. */
    char small[5];
    memset(small, 'x', sizeof small);
    rscp_builder_init(&b, out, sizeof out);
    if (cli_spec_put(&b, text, small, sizeof small) != 0 && memchr(small, '\0', sizeof small) == NULL)
        fuzz_fail("small message buffer not terminated");

    if (size > 0) {
        memset(err, 'x', sizeof err);
        rscp_builder_init(&b, out, sizeof out);
        int rc = cli_put_text_value(&b, 0x01000001u, data[0], text + 1, size - 1, err, sizeof err);
        check_built(&b, rc, err, sizeof err);
    }
    free(text);
    check_secret(data, size);
    return 0;
}
