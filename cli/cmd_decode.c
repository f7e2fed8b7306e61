/* rscp decode: captured bytes (hex or binary, plaintext or encrypted) to
 * frame dumps, through the streaming reader. */
#include "cli.h"

#include "rscp/cipher.h"
#include "rscp/dump.h"
#include "rscp/error.h"
#include "rscp/reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_BINARY = 100, OPT_LENIENT, OPT_PRETTY, OPT_ENCRYPTED };

static const struct cli_optdef decode_opts[] = {
    CLI_OPT_HELP,
    CLI_OPT_JSON,
    {"key", 'k', true, OPT_KEY},
    {"encrypted", 'e', false, OPT_ENCRYPTED},
    {"show-secrets", 0, false, OPT_SHOW_SECRETS},
    {"binary", 'b', true, OPT_BINARY},
    {"lenient", 0, false, OPT_LENIENT},
    {"pretty", 0, false, OPT_PRETTY},
    CLI_OPT_END,
};

static void help(void)
{
    fputs("Usage: rscp decode [OPTIONS] [HEX... | -]\n"
          "       rscp decode [OPTIONS] --binary FILE\n"
          "\n"
          "Decode one or more concatenated RSCP frames captured from the wire. HEX\n"
          "may contain whitespace, ':' or '-' between bytes; several HEX arguments\n"
          "are one stream fed in pieces; '-' or no argument reads hex from stdin.\n"
          "With a key the bytes are an encrypted stream: Rijndael-256-CBC with the\n"
          "IV chained across frames, starting from 32 x 0xFF.\n"
          "\n"
          "Options:\n"
          "  -k, --key KEY       RSCP key (warns: visible to other users)\n"
          "  -e, --encrypted     the input is encrypted with the key in RSCP_KEY\n"
          "  -b, --binary FILE   read raw bytes from FILE ('-': stdin)\n"
          "      --show-secrets  print passwords and keys in clear (masked as ***)\n"
          "      --lenient       accept the '00 10' control word of some libraries\n"
          "  -j, --json          JSON array of frames (see rscp(1))\n"
          "      --pretty        indent the JSON\n"
          "  -h, --help          this help\n"
          "\n"
          "Exit status: 0 ok; 2 usage; 6 invalid input (the message names the\n"
          "byte offset).\n",
          stdout);
}

struct decode_state {
    rscp_reader *reader;
    bool json;
    unsigned flags;
    unsigned frames;
    uint64_t fed;
};

static int emit(struct decode_state *st, const struct rscp_frame *f)
{
    int rc;
    if (st->json) {
        fputs(st->frames ? ",\n" : "\n", stdout);
        rc = rscp_json_frame(f, st->flags, cli_file_sink, stdout);
    } else {
        if (st->frames)
            fputc('\n', stdout);
        rc = rscp_dump_frame(f, st->flags, cli_file_sink, stdout);
    }
    st->frames++;
    return rc;
}

/* Close the JSON array of the frames printed so far: an error message
 * follows on stderr. */
static void end_output_early(const struct decode_state *st)
{
    if (st->json)
        fputs("\n]\n", stdout);
    fflush(stdout);
}

/* Feed one piece; print the frames completed. Returns 0 or an exit code. */
static int feed(struct decode_state *st, const uint8_t *p, size_t n)
{
    size_t off = 0;
    for (;;) {
        int k = off < n ? rscp_reader_feed(st->reader, p + off, n - off) : 0;
        if (k < 0)
            goto fail;
        off += (size_t)k;
        st->fed += (uint64_t)k;
        struct rscp_frame f;
        int rc;
        unsigned got = 0;
        while ((rc = rscp_reader_next(st->reader, &f)) == 1) {
            got++;
            if (emit(st, &f) < 0) {
                cli_error("write error on standard output");
                return CLI_EXIT_CONN;
            }
        }
        if (rc < 0)
            goto fail;
        if (off >= n)
            return 0;
        if (k == 0 && got == 0) {
            cli_error("internal: the reader takes no more bytes at byte offset %llu", (unsigned long long)st->fed);
            return CLI_EXIT_PROTOCOL;
        }
    }
fail:;
    int err = rscp_reader_error(st->reader);
    if (!err)
        err = RSCP_ERR_PROTOCOL;
    end_output_early(st);
    cli_error("invalid input at byte offset %llu (frame %u): %s",
              (unsigned long long)rscp_reader_error_offset(st->reader), st->frames + 1, rscp_strerror(err));
    return CLI_EXIT_PROTOCOL;
}

#define READ_CHUNK 65536u /* bytes read from a file or stdin at a time */

/* Feed a file ("-": stdin) as it is read, binary or hex, so that memory
 * stays bounded and an error ends the input at once. Returns 0 or an exit
 * code after a message. */
static int feed_file(struct decode_state *st, const char *path, bool hex)
{
    FILE *f = cli_open_input(path);
    if (!f)
        return CLI_EXIT_USAGE;
    static char chunk[READ_CHUNK];
    static uint8_t bytes[READ_CHUNK / 2 + 1];
    struct cli_hex_state hs;
    cli_hex_init(&hs);
    char herr[160];
    int rc = 0;
    for (;;) {
        size_t k = fread(chunk, 1, sizeof chunk, f);
        if (k == 0) {
            if (ferror(f)) {
                end_output_early(st);
                cli_error("cannot read %s: %s", path, strerror(errno));
                rc = CLI_EXIT_USAGE;
            } else if (hex && cli_hex_finish(&hs, herr, sizeof herr) < 0) {
                end_output_early(st);
                cli_error("invalid hex: %s", herr);
                rc = CLI_EXIT_PROTOCOL;
            }
            break;
        }
        if (!hex) {
            rc = feed(st, (const uint8_t *)chunk, k);
        } else {
            long n = cli_hex_feed(&hs, chunk, k, bytes, sizeof bytes, herr, sizeof herr);
            if (n < 0) {
                /* The frames before the bad character still count. */
                rc = feed(st, bytes, hs.before_error);
                if (rc == 0) {
                    end_output_early(st);
                    cli_error("invalid hex: %s", herr);
                    rc = CLI_EXIT_PROTOCOL;
                }
            } else {
                rc = feed(st, bytes, (size_t)n);
            }
        }
        if (rc)
            break;
    }
    if (f != stdin)
        fclose(f);
    return rc;
}

/* Feed the hex arguments hex[0..n) as one stream (each argument whole
 * bytes); none or "-": hex from stdin. Returns 0 or an exit code after a
 * message. */
static int feed_hex(struct decode_state *st, const char **hex, size_t n)
{
    if (n == 0 || (n == 1 && strcmp(hex[0], "-") == 0))
        return feed_file(st, "-", true);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len = strlen(hex[i]);
        uint8_t *buf = malloc(len / 2 + 1);
        char herr[160];
        long k = buf ? cli_hex_decode(hex[i], len, buf, len / 2 + 1, herr, sizeof herr) : -1;
        if (k < 0) {
            end_output_early(st);
            if (n > 1)
                cli_error("invalid hex in argument %zu (stream byte offset %llu): %s", i + 1,
                          (unsigned long long)st->fed, buf ? herr : "out of memory");
            else
                cli_error("invalid hex: %s", buf ? herr : "out of memory");
            rc = CLI_EXIT_PROTOCOL;
        } else {
            rc = feed(st, buf, (size_t)k);
        }
        free(buf);
    }
    return rc;
}

/* After the whole input: close the JSON array; the input must have held
 * at least one frame and ended with one. Returns 0 or an exit code after a
 * message. */
static int finish(struct decode_state *st, bool keyed)
{
    size_t pending = rscp_reader_pending(st->reader);
    if (st->json)
        fputs(st->frames ? "\n]\n" : "]\n", stdout);
    if (pending > 0) {
        fflush(stdout);
        cli_error("input ends inside a frame: %zu bytes from byte offset %llu are not a complete frame%s", pending,
                  (unsigned long long)(st->fed - pending), keyed ? " (or the key is wrong)" : "");
        return CLI_EXIT_PROTOCOL;
    }
    if (st->frames == 0) {
        cli_error("no frame in the input");
        return CLI_EXIT_PROTOCOL;
    }
    return 0;
}

int cli_cmd_decode(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "decode", argc, argv);
    const char *key = NULL, *binary = NULL;
    bool json = false, show = false, lenient = false, pretty = false, from_env = false;
    const char **hex = calloc((size_t)argc + 1, sizeof *hex);
    size_t nhex = 0;
    int id, rc = CLI_EXIT_OK;
    if (!hex)
        return CLI_EXIT_PROTOCOL;
    while ((id = cli_opts_next(&o, decode_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: free(hex); return CLI_EXIT_USAGE;
        case OPT_HELP: help(); free(hex); return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case OPT_KEY:
            cli_warn("--key on the command line is visible to other users; prefer --encrypted with RSCP_KEY");
            key = o.arg;
            break;
        case OPT_ENCRYPTED: from_env = true; break;
        case OPT_SHOW_SECRETS: show = true; break;
        case OPT_BINARY: binary = o.arg; break;
        case OPT_LENIENT: lenient = true; break;
        case OPT_PRETTY: pretty = true; break;
        case 0: hex[nhex++] = o.arg; break;
        default: break;
        }
    }
    if (binary && nhex) {
        free(hex);
        return cli_usage_error("decode", "give either --binary FILE or HEX, not both");
    }
    if (from_env && !key) {
        key = getenv("RSCP_KEY");
        if (!key) {
            free(hex);
            return cli_usage_error("decode", "--encrypted needs the key in RSCP_KEY (or --key)");
        }
    }

    struct decode_state st = {0};
    st.json = json;
    st.flags = (show ? RSCP_DUMP_SHOW_SECRETS : 0u) | (pretty ? RSCP_DUMP_PRETTY : 0u);
    rscp_cipher *cipher = NULL;
    if (rscp_reader_new(&st.reader) < 0) {
        free(hex);
        cli_error("out of memory");
        return CLI_EXIT_PROTOCOL;
    }
    if (lenient) {
        struct rscp_limits lim = rscp_limits_default();
        lim.flags |= RSCP_LENIENT_CTRL;
        rscp_reader_set_limits(st.reader, &lim);
    }
    if (key) {
        uint8_t k[RSCP_KEY_SIZE];
        rscp_key_derive(key, strlen(key), k);
        int crc = rscp_cipher_new(&cipher, k, RSCP_CIPHER_AUTO);
        memset(k, 0, sizeof k);
        if (crc < 0) {
            cli_error("cannot set up the cipher: %s", rscp_strerror(crc));
            rc = CLI_EXIT_PROTOCOL;
            goto out;
        }
        rscp_reader_set_cipher(st.reader, cipher);
    }

    if (json)
        fputc('[', stdout);
    if (binary) {
        rc = feed_file(&st, binary, false);
    } else {
        rc = feed_hex(&st, hex, nhex);
    }
    if (rc == 0)
        rc = finish(&st, key != NULL);
out:
    rscp_reader_free(st.reader);
    rscp_cipher_free(cipher);
    free(hex);
    return rc;
}
