/* Text and JSON dumps of malformed block sequences (the error and its
 * offset, the depth bound shared with rscp_validate()), sinks that refuse
 * output, empty input and indentation; and the 1 KiB benchmark response,
 * dumped whole. */
#include "dump_testlib.h"

#include "rscp/rscp.h"

#include <stdlib.h>
#include <string.h>

/* ---- structure errors and sinks ------------------------------------------- */

static void test_errors(void)
{
    int rc;
    /* P2's data with the last byte cut off: value runs past the end */
    const char *got = dt_text_hex("01008001060400" "4f120000" "02008001060400" "5b0800", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_BLOCK_OVERRUN);
    char want[300];
    snprintf(want, sizeof want, "EMS.POWER_PV (0x01800001) INT32 = 4687\nerror at offset 11: %s\n",
             rscp_strerror(RSCP_ERR_BLOCK_OVERRUN));
    CHECK_STR(got, want);
    dt_json_hex("01008001060400" "4f120000" "02008001060400" "5b0800", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_BLOCK_OVERRUN);

    /* header cut after the length's first byte */
    got = dt_text_hex("0100800003ff", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    snprintf(want, sizeof want, "error at offset 0: %s\n", rscp_strerror(RSCP_ERR_TRUNCATED));
    CHECK_STR(got, want);

    /* a UCHAR8 with length field 0 followed by one stray byte */
    got = dt_text_hex("010080000300000a", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    snprintf(want, sizeof want,
             "RSCP.AUTHENTICATION (0x00800001) UCHAR8 = (empty) (bad length 0, UCHAR8 has 1)\n"
             "error at offset 7: %s\n",
             rscp_strerror(RSCP_ERR_TRUNCATED));
    CHECK_STR(got, want);

    /* an error inside a container names the offset from the outer start */
    got = dt_text_hex("000004030e0a00" "010004030502000000" "ff", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    snprintf(want, sizeof want,
             "BAT.REQ_DATA (0x03040000) CONTAINER [10 bytes]\n"
             "  BAT.INDEX (0x03040001) UINT16 = 0\n"
             "  error at offset 16: %s\n",
             rscp_strerror(RSCP_ERR_TRUNCATED));
    CHECK_STR(got, want);

    /* a masked secret container still has its structure checked */
    got = dt_text_hex("030000000e0a00" "010004030502000000" "ff", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    snprintf(want, sizeof want,
             "RSCP.AUTHENTICATION_PASSWORD (0x00000003) CONTAINER = ***\n"
             "  error at offset 16: %s\n",
             rscp_strerror(RSCP_ERR_TRUNCATED));
    CHECK_STR(got, want);
    dt_json_hex("030000000e0a00" "010004030502000000" "ff", 0, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);
    dt_json_hex("030000000e0a00" "010004030502000000" "ff", RSCP_DUMP_SHOW_SECRETS, &rc);
    CHECK_INT(rc, RSCP_ERR_TRUNCATED);

    /* 17 nested containers exceed the depth bound; 16 are fine */
    for (unsigned levels = 16; levels <= 17; levels++) {
        uint8_t buf[256];
        struct rscp_builder b;
        rscp_builder_init(&b, buf, sizeof buf);
        for (unsigned i = 0; i < levels && i < RSCP_BUILDER_MAX_DEPTH; i++)
            rscp_put_container_open(&b, 0x09000010 + i);
        for (unsigned i = 0; i < levels && i < RSCP_BUILDER_MAX_DEPTH; i++)
            rscp_put_container_close(&b);
        size_t len;
        CHECK_INT(rscp_builder_finish(&b, &len), 0);
        if (levels == 17) { /* wrap the 16 levels in one more by hand */
            memmove(buf + 7, buf, len);
            buf[0] = 0x20, buf[1] = 0, buf[2] = 0, buf[3] = 0x09, buf[4] = RSCP_TYPE_CONTAINER;
            buf[5] = (uint8_t)len, buf[6] = (uint8_t)(len >> 8);
            len += 7;
        }
        struct rscp_strbuf sb;
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        int trc = rscp_dump_blocks(buf, len, 0, 0, rscp_strbuf_sink, &sb);
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        int jrc = rscp_json_blocks(buf, len, 0, rscp_strbuf_sink, &sb);
        int vrc = rscp_validate(buf, len, NULL, NULL);
        CHECK_INT(trc, levels == 16 ? 0 : RSCP_ERR_DEPTH);
        CHECK_INT(jrc, trc);
        CHECK_INT(vrc, trc); /* same bound as the validator's default */
        if (levels == 16)
            CHECK(dt_json_valid(dt_out));
    }

    /* a sink that refuses: RSCP_ERR_IO; the strbuf stays terminated */
    char small[16];
    struct rscp_strbuf sb;
    rscp_strbuf_init(&sb, small, sizeof small);
    size_t n;
    uint8_t *p = th_unhex("01008001060400" "4f120000", &n);
    CHECK_INT(rscp_json_blocks(p, n, 0, rscp_strbuf_sink, &sb), RSCP_ERR_IO);
    CHECK(sb.overflow);
    CHECK_INT(sb.len, 15);
    CHECK_INT(strlen(small), 15);
    CHECK(memcmp(small, "[{\"tag\":\"0x0180", 15) == 0);
    rscp_strbuf_init(&sb, small, sizeof small);
    CHECK_INT(rscp_dump_blocks(p, n, 0, 0, rscp_strbuf_sink, &sb), RSCP_ERR_IO);
    CHECK_INT(strlen(small), 15);
    free(p);

    /* empty input */
    struct rscp_strbuf sb2;
    rscp_strbuf_init(&sb2, dt_out, sizeof dt_out);
    CHECK_INT(rscp_json_blocks(NULL, 0, 0, rscp_strbuf_sink, &sb2), 0);
    CHECK_STR(dt_out, "[]");
    rscp_strbuf_init(&sb2, dt_out, sizeof dt_out);
    CHECK_INT(rscp_dump_blocks(NULL, 0, 0, 0, rscp_strbuf_sink, &sb2), 0);
    CHECK_STR(dt_out, "");
    /* indentation parameter */
    rscp_strbuf_init(&sb2, dt_out, sizeof dt_out);
    uint8_t blk[] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    CHECK_INT(rscp_dump_blocks(blk, sizeof blk, 2, 0, rscp_strbuf_sink, &sb2), 0);
    CHECK_STR(dt_out, "    EMS.REQ_POWER_PV (0x01000001) NONE\n");
}

/* The 1 KiB benchmark response dumps to valid JSON in both forms and every
 * line of the text dump has one block. */
static void test_bench_response(void)
{
    size_t n;
    uint8_t *p = th_read_file(th_source_path("bench/data/response_1k.bin"), &n);
    CHECK(p != NULL);
    if (!p)
        return;
    struct rscp_frame f;
    CHECK_INT(rscp_frame_decode(p, n, NULL, &f, NULL), 0);
    struct rscp_strbuf sb;
    for (unsigned flags = 0; flags < 4; flags++) {
        rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
        CHECK_INT(rscp_json_frame(&f, flags, rscp_strbuf_sink, &sb), 0);
        CHECK(dt_json_valid(dt_out));
    }
    rscp_strbuf_init(&sb, dt_out, sizeof dt_out);
    CHECK_INT(rscp_dump_frame(&f, 0, rscp_strbuf_sink, &sb), 0);
    unsigned lines = 0;
    for (const char *c = dt_out; *c; c++)
        lines += *c == '\n';
    /* count the blocks independently: every block header in the frame */
    unsigned blocks = 0;
    struct rscp_iter stack[16];
    int top = 0;
    rscp_frame_iter(&f, &stack[0]);
    while (top >= 0) {
        struct rscp_block b;
        if (rscp_iter_next(&stack[top], &b) != 1) {
            top--;
            continue;
        }
        blocks++;
        if (b.type == RSCP_TYPE_CONTAINER && top + 1 < 16)
            rscp_block_children(&b, &stack[++top]);
    }
    CHECK_INT(lines, blocks + 1);
    free(p);
}

int main(void)
{
    test_errors();
    test_bench_response();
    return th_finish();
}
