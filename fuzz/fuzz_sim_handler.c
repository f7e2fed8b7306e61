/* Fuzz target: the simulator's request handler (sim/handler*.c) on
 * arbitrary request data, as the server hands it an authenticated frame.
 *
 * Input: byte 0 the session's auth level, byte 1 bits 0-1 the plant (the
 * default shape with the root meter at 0 or at 6, the s10pro and s10mini
 * presets), byte 2 how far to advance the model first (in steps of 4 s), then the
 * request data blocks (exactly sized on the heap). Every input starts from
 * the same freshly set-up device, so a finding replays on its own.
 * Invariants (abort() when broken): the reply is a well-formed frame
 * (rscp_frame_decode with the default limits) or the handler reports a
 * builder error (the reply did not fit: the server then sends nothing);
 * each top-level request block that the iterator reaches gets exactly one
 * top-level reply block with its response tag. */
#include "fuzz_walk.h"

#include "sim_all.inc"

#define HEAD 3u
#define SIM_START 1717243200.0 /* 2024-06-01T12:00:00Z */

#define TEMPLATES 4u
static struct sim_device *templates[TEMPLATES];
static struct sim_device *dev;
static uint8_t reply[RSCP_MAX_WIRE_SIZE];

static void setup(void)
{
    static const char *const models[TEMPLATES] = {NULL, NULL, "s10pro", "s10mini"};
    for (unsigned i = 0; i < TEMPLATES; i++) {
        struct sim_spawn_options o;
        memset(&o, 0, sizeof o);
        o.model = models[i];
        struct sim_config c;
        sim_config_from_options(&c, &o);
        templates[i] = malloc(sizeof *templates[i]);
        if (!templates[i])
            abort();
        sim_device_init(templates[i], &c, SIM_START, i == 1 ? 6u : 0u);
        const struct sim_preset *p = sim_preset_find(models[i]);
        if (p)
            sim_device_set_meters(templates[i], p->meters, p->n_meters);
    }
    dev = malloc(sizeof *dev);
    if (!dev)
        abort();
}

static uint32_t response_tag(uint32_t tag)
{
    return tag == RSCP_TAG_EMS_REQ_GET_SYS_SPECS ? RSCP_TAG_EMS_GET_SYS_SPECS : SIM_RESP(tag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dev)
        setup();
    if (size < HEAD || size - HEAD > RSCP_MAX_DATA_LEN)
        return 0;
    size_t len = size - HEAD;
    uint8_t *req = malloc(len ? len : 1);
    if (!req)
        return 0;
    memcpy(req, data + HEAD, len);
    memcpy(dev, templates[data[1] & (TEMPLATES - 1u)], sizeof *dev);

    struct rscp_builder b;
    struct rscp_timestamp ts = {(int64_t)SIM_START, 0};
    rscp_builder_begin_frame(&b, reply, sizeof reply, &ts, true);
    double now = SIM_START + 4.0 * data[2];
    int rc = sim_handle(dev, now, data[0], req, len, &b);
    size_t n = 0;
    if (rc == 0)
        rc = rscp_builder_finish(&b, &n);
    if (rc != 0) {
        if (rc != RSCP_ERR_NOSPACE && rc != RSCP_ERR_VALUE_TOO_LONG && rc != RSCP_ERR_FRAME_TOO_LONG) {
            fprintf(stderr, "handler error %d\n", rc);
            fuzz_fail("handler failed with an unexpected error");
        }
        free(req);
        return 0;
    }
    struct rscp_frame f;
    size_t off = 0;
    int drc = rscp_frame_decode(reply, n, NULL, &f, &off);
    if (drc != 0) {
        fprintf(stderr, "reply frame error %d at %zu\n", drc, off);
        fuzz_fail("reply is not a well-formed frame");
    }

    /* One reply block per request block, in order. */
    struct rscp_iter qi, ri;
    struct rscp_block q, r;
    rscp_iter_init(&qi, req, len);
    rscp_frame_iter(&f, &ri);
    while (rscp_iter_next(&qi, &q) == 1) {
        if (rscp_iter_next(&ri, &r) != 1)
            fuzz_fail("a request block got no reply block");
        if (r.tag != response_tag(q.tag)) {
            fprintf(stderr, "request 0x%08X answered by 0x%08X\n", q.tag, r.tag);
            fuzz_fail("reply tag is not the request's response tag");
        }
    }
    if (rscp_iter_next(&ri, &r) != 0)
        fuzz_fail("more reply blocks than request blocks");
    free(req);
    return 0;
}
