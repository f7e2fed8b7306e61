/* The simulator over real loopback TCP: sim_spawn() on a free port, the
 * library's client and typed API against it, credentials and key errors,
 * simulated time running faster than real time. */
#include "harness.h"

#include "../sim/sim_all.inc"

#include "rscp/api.h"
#include "rscp/client.h"
#include "rscp/error.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int connect_to(uint16_t port, const char *password, const char *key, rscp_client **out)
{
    struct rscp_client_config cfg;
    rscp_client_config_init(&cfg);
    cfg.host = "127.0.0.1";
    cfg.port = port;
    cfg.user = SIM_DEFAULT_USER;
    cfg.password = password;
    cfg.key = key;
    cfg.connect_timeout_ms = 3000;
    cfg.io_timeout_ms = 5000;
    CHECK_INT(rscp_client_new(out, &cfg), 0);
    return rscp_client_connect(*out);
}

static int get_live(rscp_client *c, struct rscp_live *l)
{
    struct rscp_builder b;
    struct rscp_frame f;
    int rc = rscp_client_request_begin(c, &b);
    if (rc == 0)
        rc = rscp_live_request(&b);
    if (rc == 0)
        rc = rscp_client_request_send(c, &b, &f);
    if (rc == 0)
        rc = rscp_live_parse(&f, l);
    return rc;
}

static int get_info(rscp_client *c, struct rscp_info *in)
{
    struct rscp_builder b;
    struct rscp_frame f;
    int rc = rscp_client_request_begin(c, &b);
    if (rc == 0)
        rc = rscp_info_request(&b);
    if (rc == 0)
        rc = rscp_client_request_send(c, &b, &f);
    if (rc == 0)
        rc = rscp_info_parse(&f, in);
    return rc;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int main(void)
{
    struct sim_spawn_options o;
    memset(&o, 0, sizeof o);
    o.seed = 7;
    o.speed = 600.0; /* ten simulated minutes per real second */
    o.start = 1718964000.0; /* 2024-06-21 10:00 UTC */
    struct sim_handle *h = NULL;
    uint16_t port = 0;
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    CHECK(port != 0);

    rscp_client *c = NULL;
    CHECK_INT(connect_to(port, SIM_DEFAULT_PASSWORD, SIM_DEFAULT_KEY, &c), 0);
    CHECK_INT(rscp_client_auth_level(c), 10);
    struct rscp_live l;
    int64_t prev_time = 0;
    for (int i = 0; i < 5; i++) {
        CHECK_INT(get_live(c, &l), 0);
        /* The reply header carries simulated time, not the real clock. */
        CHECK(l.time.seconds >= 1718964000 && l.time.seconds < 1718964000 + 3 * 3600);
        CHECK(l.time.seconds >= prev_time);
        prev_time = l.time.seconds;
        CHECK_INT(l.present & RSCP_LIVE_ALL, RSCP_LIVE_ALL);
        CHECK_INT(l.device_errors, 0);
        CHECK_INT(l.pv + l.add + l.grid, l.home + l.bat + l.wb_all);
        CHECK(l.pv > 0); /* midday in June */
        CHECK(l.soc >= 0 && l.soc <= 100);
        sleep_ms(150);
    }
    struct rscp_info in;
    CHECK_INT(get_info(c, &in), 0);
    CHECK(strncmp(in.serial, "S10-", 4) == 0);
    CHECK(strcmp(in.time_zone, "Europe/Berlin") == 0);
    int32_t off = 0;
    CHECK_INT(rscp_info_utc_offset(&in, &off), 0);
    CHECK_INT(off, 7200);
    /* Simulated time runs at the chosen speed: at least a few minutes passed. */
    CHECK(in.utc_time.seconds >= 1718964000 + 300 && in.utc_time.seconds < 1718964000 + 3 * 3600);
    CHECK(in.utc_time.seconds >= prev_time);
    /* One frame: the header time is the instant the handler answered at. */
    {
        struct rscp_builder b;
        struct rscp_frame f;
        struct rscp_block blk;
        struct rscp_timestamp utc = {0, 0};
        CHECK_INT(rscp_client_request_begin(c, &b), 0);
        CHECK_INT(rscp_put_none(&b, RSCP_TAG_INFO_REQ_UTC_TIME), 0);
        CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
        CHECK_INT(rscp_find(f.data, f.data_len, SIM_RESP(RSCP_TAG_INFO_REQ_UTC_TIME), &blk), 0);
        CHECK_INT(rscp_block_get_timestamp(&blk, &utc), 0);
        CHECK_INT(f.seconds, utc.seconds);
        CHECK_INT(f.nanoseconds, utc.nanoseconds);
        CHECK(f.seconds >= in.utc_time.seconds);
    }
    rscp_client_free(c);

    /* Wrong password: refused; wrong key: the connection closes. */
    CHECK_INT(connect_to(port, "not the password", SIM_DEFAULT_KEY, &c), RSCP_ERR_AUTH);
    rscp_client_free(c);
    CHECK_INT(connect_to(port, SIM_DEFAULT_PASSWORD, "not the key", &c), RSCP_ERR_KEY);
    rscp_client_free(c);
    sim_stop(h);

    /* Custom credentials, the root meter at 6, and a fault mapped through. */
    memset(&o, 0, sizeof o);
    o.user = SIM_DEFAULT_USER;
    o.password = "pw2";
    o.key = "key2";
    o.pm_root_index = 6;
    o.faults.refuse_auth = true;
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    CHECK_INT(connect_to(port, "pw2", "key2", &c), RSCP_ERR_AUTH);
    rscp_client_free(c);
    sim_stop(h);
    o.faults.refuse_auth = false;
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    CHECK_INT(connect_to(port, "pw2", "key2", &c), 0);
    struct rscp_builder b;
    struct rscp_frame f;
    static const uint32_t sub[] = {RSCP_TAG_PM_REQ_TYPE};
    CHECK_INT(rscp_client_request_begin(c, &b), 0);
    CHECK_INT(rscp_index_request(&b, RSCP_TAG_PM_REQ_DATA, RSCP_TAG_PM_INDEX, -1, 6, sub, 1), 0);
    CHECK_INT(rscp_index_request(&b, RSCP_TAG_PM_REQ_DATA, RSCP_TAG_PM_INDEX, -1, 0, sub, 1), 0);
    CHECK_INT(rscp_client_request_send(c, &b, &f), 0);
    struct rscp_iter it;
    struct rscp_block blk, t;
    rscp_frame_iter(&f, &it);
    CHECK_INT(rscp_iter_next(&it, &blk), 1);
    CHECK_INT(blk.type, RSCP_TYPE_CONTAINER);
    uint16_t type = 0;
    CHECK(rscp_block_find(&blk, SIM_RESP(RSCP_TAG_PM_REQ_TYPE), &t) == 0 && rscp_block_get_uint16(&t, &type) == 0);
    CHECK_INT(type, 1);
    CHECK_INT(rscp_iter_next(&it, &blk), 1);
    uint32_t code = 0;
    CHECK(rscp_block_get_error(&blk, &code) == 0 && code == SIM_ERR_NOT_AVAILABLE);
    rscp_client_free(c);
    sim_stop(h);
    sim_stop(NULL);

    /* The authentication deadline is on by default and set through the
     * options: a silent connection is closed, a client that authenticates
     * stays. */
    memset(&o, 0, sizeof o);
    o.auth_timeout_ms = 200;
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    int silent = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_INT(connect(silent, (struct sockaddr *)&sa, sizeof sa), 0);
    CHECK_INT(connect_to(port, SIM_DEFAULT_PASSWORD, SIM_DEFAULT_KEY, &c), 0);
    struct pollfd pw = {silent, POLLIN, 0};
    CHECK_INT(poll(&pw, 1, 3000), 1);
    uint8_t byte;
    CHECK_INT(recv(silent, &byte, 1, 0), 0); /* closed without a byte */
    close(silent);
    sleep_ms(250);
    CHECK_INT(get_live(c, &l), 0);
    rscp_client_free(c);
    sim_stop(h);
    struct rscp_server_config defaults;
    rscp_server_config_init(&defaults);
    CHECK(defaults.auth_timeout_ms > 0 && defaults.idle_timeout_ms > 0);

    /* A port in use is an error, not a crash. */
    memset(&o, 0, sizeof o);
    CHECK_INT(sim_spawn(&o, &h, &port), 0);
    struct sim_handle *h2 = NULL;
    o.port = port;
    CHECK(sim_spawn(&o, &h2, NULL) < 0);
    CHECK(h2 == NULL);
    sim_stop(h);
    return th_finish();
}
