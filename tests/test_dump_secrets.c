/* Secrets in text and JSON dumps: the password of P3 and F6 and every other
 * secret tag of the dictionary, in every kind of block and inside nested
 * containers, never show (as text or as hex) unless RSCP_DUMP_SHOW_SECRETS
 * is given. */
#include "dump_testlib.h"

#include "rscp/rscp.h"

#include <stdlib.h>
#include <string.h>

static void test_secrets(void)
{
    /* P3: user TEST (not secret), password 123 (secret) */
    const char *hex = "010000000e1500020000000d040054455354030000000d0300313233";
    int rc;
    const char *got = dt_json_hex(hex, 0, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "[{\"tag\":\"0x00000001\",\"name\":\"RSCP.REQ_AUTHENTICATION\",\"type\":\"CONTAINER\",\"value\":["
                   "{\"tag\":\"0x00000002\",\"name\":\"RSCP.AUTHENTICATION_USER\",\"type\":\"CSTRING\",\"value\":\"TEST\"},"
                   "{\"tag\":\"0x00000003\",\"name\":\"RSCP.AUTHENTICATION_PASSWORD\",\"type\":\"CSTRING\",\"value\":"
                   "\"***\"}]}]");
    CHECK(strstr(got, "123") == NULL);
    got = dt_json_hex(hex, RSCP_DUMP_SHOW_SECRETS, &rc);
    CHECK(strstr(got, "\"name\":\"RSCP.AUTHENTICATION_PASSWORD\",\"type\":\"CSTRING\",\"value\":\"123\"") != NULL);

    got = dt_text_hex(hex, 0, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(got, "RSCP.REQ_AUTHENTICATION (0x00000001) CONTAINER [21 bytes]\n"
                   "  RSCP.AUTHENTICATION_USER (0x00000002) CSTRING = \"TEST\"\n"
                   "  RSCP.AUTHENTICATION_PASSWORD (0x00000003) CSTRING = ***\n");
    got = dt_text_hex(hex, RSCP_DUMP_SHOW_SECRETS, &rc);
    CHECK(strstr(got, "RSCP.AUTHENTICATION_PASSWORD (0x00000003) CSTRING = \"123\"\n") != NULL);

    /* F6 (BV): SuperSecret123 never shows without the flag, in either dump */
    size_t n;
    uint8_t *p = th_unhex("e3dc00114d61d45f0000000000ceed343700010000000e3000020000000d14007465737475736572406578616d706c652e636f6d"
                          "030000000d0e00537570657253656372657431323360c48640",
                          &n);
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, NULL), 0);
    struct rscp_strbuf sb;
    for (unsigned pretty = 0; pretty <= RSCP_DUMP_PRETTY; pretty += RSCP_DUMP_PRETTY) {
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        CHECK_INT(rscp_json_frame(&f, pretty, rscp_strbuf_sink, &sb), 0);
        CHECK(strstr(dt_out, "SuperSecret") == NULL);
        CHECK(strstr(dt_out, "testuser@example.com") != NULL);
        CHECK(dt_json_valid(dt_out));
    }
    rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
    CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    CHECK(strstr(dt_out, "SuperSecret") == NULL);
    CHECK(strstr(dt_out, "CSTRING = ***") != NULL);
    rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
    CHECK_INT(rscp_dump_frame(&f, RSCP_DUMP_SHOW_SECRETS, rscp_strbuf_sink, &sb), 0);
    CHECK(strstr(dt_out, "\"SuperSecret123\"") != NULL);
    free(p);

    /* RSCP.REQ_SET_ENCRYPTION_PASSPHRASE (0x00000005) is masked too */
    got = dt_json_hex("050000000d0300616263", 0, &rc);
    CHECK(strstr(got, "\"value\":\"***\"") != NULL);
}

/* Every secret tag of the dictionary, its value carried as every kind of
 * block (string, bytes, bitfield, unknown type, fixed type with a wrong
 * length, a container of strings), at the top level and three containers
 * deep: no dump (text, JSON, pretty JSON, frame) shows the secret, as text
 * or as hex, unless RSCP_DUMP_SHOW_SECRETS is given. */
static bool dump_shows(const uint8_t *data, size_t n, unsigned flags, const char *needle)
{
    static const char hex_lc[] = "53336372337456616c756521", hex_uc[] = "53336372337456616C756521";
    struct rscp_strbuf sb;
    bool shown = false;
    for (int kind = 0; kind < 4; kind++) {
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        int rc;
        if (kind == 0) {
            rc = rscp_dump_blocks(data, n, 1, flags, rscp_strbuf_sink, &sb);
        } else if (kind == 3) {
            struct rscp_frame f = {1, 2, true, data, (uint16_t)n};
            rc = rscp_json_frame(&f, flags, rscp_strbuf_sink, &sb);
        } else {
            rc = rscp_json_blocks(data, n, flags | (kind == 2 ? RSCP_DUMP_PRETTY : 0u), rscp_strbuf_sink, &sb);
        }
        CHECK_INT(rc, 0);
        CHECK(!sb.overflow);
        if (kind > 0)
            CHECK(dt_json_valid(dt_out));
        shown = shown || strstr(dt_out, needle) || strstr(dt_out, hex_lc) || strstr(dt_out, hex_uc);
    }
    return shown;
}

static void test_secrets_everywhere(void)
{
    static const char secret[] = "S3cr3tValue!";
    const size_t slen = sizeof secret - 1;
    unsigned tags = 0, leaks = 0, hidden = 0;
    for (size_t i = 0; i < rscp_tag_count(); i++) {
        const struct rscp_tag_info *t = rscp_tag_at(i);
        if (!t->secret)
            continue;
        tags++;
        for (int form = 0; form < 6; form++) {
            for (int deep = 0; deep < 2; deep++) {
                uint8_t buf[256];
                struct rscp_builder b;
                rscp_builder_init(&b, buf, sizeof buf);
                if (deep) { /* inside three containers of ordinary tags */
                    rscp_put_container_open(&b, 0x01840000u);
                    rscp_put_container_open(&b, 0x03840000u);
                    rscp_put_container_open(&b, 0x0E840000u);
                    rscp_put_int32(&b, 0x01800001u, 7);
                }
                switch (form) {
                case 0: rscp_put_string(&b, t->id, secret, slen); break;
                case 1: rscp_put_bytes(&b, t->id, secret, slen); break;
                case 2: rscp_put_bitfield(&b, t->id, secret, slen); break;
                case 3: rscp_put_raw(&b, t->id, 0x42, secret, slen); break;
                case 4: rscp_put_raw(&b, t->id, RSCP_TYPE_INT64, secret, slen); break;
                default:
                    rscp_put_container_open(&b, t->id);
                    rscp_put_string(&b, 0x0A000001u, secret, slen);
                    rscp_put_container_close(&b);
                    break;
                }
                if (deep) {
                    rscp_put_container_close(&b);
                    rscp_put_container_close(&b);
                    rscp_put_container_close(&b);
                }
                size_t n = 0;
                CHECK_INT(rscp_builder_finish(&b, &n), 0);
                uint8_t *g = th_guard_copy(buf, n);
                if (dump_shows(g, n, 0, "S3cr3t") && leaks++ < 5)
                    fprintf(stderr, "secret of %s (form %d, deep %d) shown\n", t->name, form, deep);
                if (dump_shows(g, n, RSCP_DUMP_SHOW_SECRETS, "S3cr3t"))
                    hidden++; /* shown on request */
                th_guard_free(g, n);
            }
        }
    }
    CHECK(tags >= 19);
    CHECK_INT(leaks, 0);
    CHECK_INT(hidden, tags * 12);
}

int main(void)
{
    test_secrets();
    test_secrets_everywhere();
    return th_finish();
}
