/* rscp encode: frames in their JSON form to hex, optionally encrypted. */
#include "cli.h"
#include "json_parse.h"

#include "rscp/cipher.h"
#include "rscp/clock.h"
#include "rscp/error.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_ENCRYPTED = 100, OPT_BINARY_OUT };

static const struct cli_optdef encode_opts[] = {
    CLI_OPT_HELP,
    {"key", 'k', true, OPT_KEY},
    {"encrypted", 'e', false, OPT_ENCRYPTED},
    {"binary", 'b', false, OPT_BINARY_OUT},
    CLI_OPT_END,
};

static void help(void)
{
    fputs("Usage: rscp encode [OPTIONS] [FILE | -]\n"
          "\n"
          "Build RSCP frames from their JSON form (as printed by 'rscp decode --json')\n"
          "and print them, concatenated, as one line of hex. Input: one frame object\n"
          "or an array of frames:\n"
          "  {\"seconds\": S, \"nanoseconds\": N, \"crc\": true, \"blocks\": [BLOCK...]}\n"
          "  BLOCK: {\"tag\": \"0x01000001\" | \"EMS.REQ_POWER_PV\" | 16777217,\n"
          "          \"name\": ... (may replace \"tag\"), \"type\": \"INT32\" (optional when the\n"
          "          dictionary knows it), \"value\": V}\n"
          "seconds/nanoseconds are used as given (absent: the current time); crc\n"
          "defaults to true. With a key the frames are encrypted as one stream with\n"
          "chained IVs (Rijndael-256-CBC, first IV 32 x 0xFF).\n"
          "\n"
          "Options:\n"
          "  -k, --key KEY     encrypt with this RSCP key (warns: visible to others)\n"
          "  -e, --encrypted   encrypt with the key in RSCP_KEY\n"
          "  -b, --binary      write raw bytes instead of hex\n"
          "  -h, --help        this help\n"
          "\n"
          "Exit status: 0 ok; 2 usage; 6 invalid input (with line and column).\n",
          stdout);
}

/* Build one frame from its JSON object into buf. Returns length or -1. */
static long build_frame(const struct json_value *fr, uint8_t *buf, size_t cap, char *err, size_t errcap)
{
    if (fr->kind != JSON_OBJECT) {
        snprintf(err, errcap, "line %u, column %u: frame object expected", fr->line, fr->col);
        return -1;
    }
    for (size_t i = 0; i < fr->n; i++) {
        const char *k = fr->keys[i];
        if (strcmp(k, "seconds") && strcmp(k, "nanoseconds") && strcmp(k, "crc") && strcmp(k, "blocks")) {
            char shown[96];
            cli_printable(k, strlen(k), shown, sizeof shown);
            snprintf(err, errcap, "line %u, column %u: unknown key \"%s\" in frame (seconds, nanoseconds, crc, blocks)",
                     fr->items[i]->line, fr->items[i]->col, shown);
            return -1;
        }
    }
    struct rscp_timestamp ts = rscp_timestamp_now();
    const struct json_value *s = json_get(fr, "seconds");
    const struct json_value *ns = json_get(fr, "nanoseconds");
    const struct json_value *crc = json_get(fr, "crc");
    const struct json_value *blocks = json_get(fr, "blocks");
    if (s && json_i64(s, &ts.seconds) != 0) {
        snprintf(err, errcap, "line %u, column %u: seconds must be a 64-bit integer", s->line, s->col);
        return -1;
    }
    if (s && !ns)
        ts.nanoseconds = 0;
    if (ns) {
        uint64_t v;
        if (json_u64(ns, &v) != 0 || v >= 1000000000u) {
            snprintf(err, errcap, "line %u, column %u: nanoseconds must be 0..999999999", ns->line, ns->col);
            return -1;
        }
        ts.nanoseconds = (uint32_t)v;
    }
    if (crc && crc->kind != JSON_BOOL) {
        snprintf(err, errcap, "line %u, column %u: crc must be true or false", crc->line, crc->col);
        return -1;
    }
    if (!blocks) {
        snprintf(err, errcap, "line %u, column %u: frame needs \"blocks\"", fr->line, fr->col);
        return -1;
    }
    struct rscp_builder b;
    rscp_builder_begin_frame(&b, buf, cap, &ts, crc ? crc->boolean : true);
    if (cli_json_put_blocks(&b, blocks, err, errcap) < 0)
        return -1;
    size_t n;
    int rc = rscp_builder_finish(&b, &n);
    if (rc < 0) {
        snprintf(err, errcap, "line %u, column %u: frame: %s", fr->line, fr->col, rscp_strerror(rc));
        return -1;
    }
    return (long)n;
}

int cli_cmd_encode(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "encode", argc, argv);
    const char *key = NULL, *path = NULL;
    bool from_env = false, binary = false;
    int id;
    while ((id = cli_opts_next(&o, encode_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: return CLI_EXIT_USAGE;
        case OPT_HELP: help(); return CLI_EXIT_OK;
        case OPT_KEY:
            cli_warn("--key on the command line is visible to other users; prefer --encrypted with RSCP_KEY");
            key = o.arg;
            break;
        case OPT_ENCRYPTED: from_env = true; break;
        case OPT_BINARY_OUT: binary = true; break;
        case 0:
            if (path)
                return cli_usage_error("encode", "only one input file");
            path = o.arg;
            break;
        default: break;
        }
    }
    if (from_env && !key && !(key = getenv("RSCP_KEY")))
        return cli_usage_error("encode", "--encrypted needs the key in RSCP_KEY (or --key)");

    size_t len;
    char *text;
    int rrc = cli_read_json_input(path ? path : "-", &text, &len);
    if (rrc)
        return rrc;
    struct json_value *doc = NULL;
    char err[512];
    if (json_parse(text, len, &doc, err, sizeof err) != 0) {
        free(text);
        cli_error("%s: invalid JSON: %s", path ? path : "-", err);
        return CLI_EXIT_PROTOCOL;
    }
    free(text);

    rscp_cipher *cipher = NULL;
    if (key) {
        uint8_t k[RSCP_KEY_SIZE];
        rscp_key_derive(key, strlen(key), k);
        int rc = rscp_cipher_new(&cipher, k, RSCP_CIPHER_AUTO);
        memset(k, 0, sizeof k);
        if (rc < 0) {
            json_free(doc);
            cli_error("cannot set up the cipher: %s", rscp_strerror(rc));
            return CLI_EXIT_PROTOCOL;
        }
    }

    const struct json_value *const *frames = (const struct json_value *const *)&doc;
    size_t nframes = 1;
    if (doc->kind == JSON_ARRAY) {
        frames = (const struct json_value *const *)doc->items;
        nframes = doc->n;
    }
    static uint8_t buf[RSCP_MAX_WIRE_SIZE];
    int rc = CLI_EXIT_OK;
    /* Build everything first so that invalid input prints nothing. */
    size_t out_cap = nframes * 64, out_len = 0;
    uint8_t *out = malloc(out_cap ? out_cap : 1);
    for (size_t i = 0; out && i < nframes; i++) {
        long n = build_frame(frames[i], buf, sizeof buf, err, sizeof err);
        if (n < 0) {
            cli_error("frame %zu: %s", i + 1, err);
            rc = CLI_EXIT_PROTOCOL;
            break;
        }
        size_t wire = (size_t)n;
        if (cipher) {
            int crc = rscp_cipher_seal(cipher, buf, (size_t)n, sizeof buf, &wire);
            if (crc < 0) {
                cli_error("frame %zu: %s", i + 1, rscp_strerror(crc));
                rc = CLI_EXIT_PROTOCOL;
                break;
            }
        }
        if (out_len + wire > out_cap) {
            size_t nc = (out_len + wire) * 2;
            uint8_t *no = realloc(out, nc);
            if (!no) {
                free(out);
                out = NULL;
                break;
            }
            out = no;
            out_cap = nc;
        }
        memcpy(out + out_len, buf, wire);
        out_len += wire;
    }
    if (!out) {
        cli_error("out of memory");
        rc = CLI_EXIT_PROTOCOL;
    } else if (rc == CLI_EXIT_OK) {
        if (binary) {
            fwrite(out, 1, out_len, stdout);
        } else {
            for (size_t i = 0; i < out_len; i++)
                printf("%02x", out[i]);
            putchar('\n');
        }
    }
    free(out);
    rscp_cipher_free(cipher);
    json_free(doc);
    return rc;
}
