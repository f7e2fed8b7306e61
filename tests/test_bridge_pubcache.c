/* The bridge's cache of published values (bridge/pubcache.h): new, changed
 * and old values go out, unchanged ones and changes inside the deadband do
 * not; a value missing from a cycle, or a new one in the middle, does not
 * make the others go out again; forget publishes everything again, forget
 * of one topic that topic only (also inside its deadband); past
 * the limit everything is published, nothing is lost. */
#include "harness.h"
#include "hash.h"
#include "pubcache.h"

#include <stdio.h>
#include <string.h>

static struct bridge_pubcache pc;

static bool take_num(const char *topic, double x, double deadband, int64_t now)
{
    char p[32];
    int n = snprintf(p, sizeof p, "%.1f", x);
    return bridge_pubcache_take(&pc, topic, p, (size_t)n, true, x, deadband, now, 10000);
}

static bool take_str(const char *topic, const char *text, int64_t now)
{
    return bridge_pubcache_take(&pc, topic, text, strlen(text), false, 0, 0, now, 10000);
}

static void test_basic(void)
{
    bridge_pubcache_init(&pc);
    bridge_pubcache_cycle(&pc);
    CHECK(take_num("battery/soc", 50, 0, 0));
    CHECK(take_str("ems/mode", "auto", 0));
    CHECK_INT(bridge_pubcache_size(&pc), 2);
    bridge_pubcache_cycle(&pc);
    CHECK(!take_num("battery/soc", 50, 0, 1000));
    CHECK(!take_str("ems/mode", "auto", 1000));
    bridge_pubcache_cycle(&pc);
    CHECK(take_num("battery/soc", 50.1, 0, 2000));
    CHECK(take_str("ems/mode", "idle", 2000));
    bridge_pubcache_cycle(&pc);
    CHECK(!take_num("battery/soc", 50.1, 0, 11999)); /* published at 2000: not old yet */
    CHECK(take_str("ems/mode", "idle", 12000));      /* max_age reached */
    CHECK_INT(bridge_pubcache_size(&pc), 2);
    bridge_pubcache_free(&pc);
    CHECK_INT(bridge_pubcache_size(&pc), 0);
}

static void test_deadband(void)
{
    bridge_pubcache_init(&pc);
    CHECK(take_num("solar/power", 1000, 50, 0));
    CHECK(!take_num("solar/power", 1030, 50, 1));
    CHECK(!take_num("solar/power", 1049, 50, 2)); /* measured from the last published 1000 */
    CHECK(take_num("solar/power", 1050, 50, 3));
    CHECK(!take_num("solar/power", 1010, 50, 4));
    CHECK(take_num("solar/power", 1000, 50, 5));
    CHECK(take_num("solar/power", 1000, 50, 10005)); /* old: out again, unchanged */
    bridge_pubcache_free(&pc);
}

static void test_forget_topic(void)
{
    bridge_pubcache_init(&pc);
    bridge_pubcache_cycle(&pc);
    CHECK(take_num("solar/power", 1000, 50, 0));
    CHECK(take_str("ems/mode", "auto", 0));
    CHECK(take_str("battery/state", "FULL", 0));
    CHECK(bridge_pubcache_forget_topic(&pc, "solar/power"));
    CHECK(!bridge_pubcache_forget_topic(&pc, "grid/power")); /* never published */
    bridge_pubcache_cycle(&pc);
    CHECK(take_num("solar/power", 1010, 50, 100)); /* inside the deadband, out again */
    CHECK(!take_str("ems/mode", "auto", 100));
    CHECK(!take_str("battery/state", "FULL", 100));
    bridge_pubcache_cycle(&pc);
    CHECK(!take_num("solar/power", 1010, 50, 200)); /* remembered again */
    CHECK(!take_str("ems/mode", "auto", 200));
    CHECK_INT(bridge_pubcache_size(&pc), 3);
    bridge_pubcache_free(&pc);
}

/* A cycle of 300 topics; one missing in some cycles, one new in the
 * middle: nothing else goes out again. */
static void test_order(void)
{
    bridge_pubcache_init(&pc);
    char t[32];
    int64_t now = 0;
    bridge_pubcache_cycle(&pc);
    for (int i = 0; i < 300; i++) {
        snprintf(t, sizeof t, "v/%d", i);
        CHECK(take_num(t, i, 0, now));
    }
    for (int cyc = 1; cyc < 6; cyc++) {
        now += 1000;
        bridge_pubcache_cycle(&pc);
        int published = 0;
        for (int i = 0; i < 300; i++) {
            if (cyc % 2 == 1 && i == 100)
                continue; /* missing from odd cycles */
            snprintf(t, sizeof t, "v/%d", i);
            published += take_num(t, i, 0, now);
            if (cyc == 3 && i == 150)
                published += take_num("new/one", 1, 0, now) ? 100 : 0;
        }
        CHECK_INT(published, cyc == 3 ? 100 : 0);
    }
    CHECK_INT(bridge_pubcache_size(&pc), 301);
    /* The new topic is found in its place from now on. */
    bridge_pubcache_cycle(&pc);
    CHECK_INT(pc.slots[151].topic_hash != 0, 1);
    bridge_pubcache_forget(&pc);
    CHECK_INT(bridge_pubcache_size(&pc), 0);
    CHECK(take_num("v/0", 0, 0, now)); /* forgotten: out again */
    bridge_pubcache_free(&pc);
}

static void test_limit(void)
{
    bridge_pubcache_init(&pc);
    char t[32];
    for (unsigned i = 0; i < BRIDGE_PUBCACHE_MAX; i++) {
        snprintf(t, sizeof t, "v/%u", i);
        CHECK(take_str(t, "x", 0));
    }
    CHECK_INT(bridge_pubcache_size(&pc), BRIDGE_PUBCACHE_MAX);
    CHECK(take_str("one/more", "x", 0));
    CHECK(take_str("one/more", "x", 0)); /* not remembered: always out */
    CHECK(!take_str("v/7", "x", 1));     /* the known ones still work */
    CHECK_INT(bridge_pubcache_size(&pc), BRIDGE_PUBCACHE_MAX);
    bridge_pubcache_free(&pc);
}

/* The cache's word hash: every byte counts, in the words and in the tail,
 * and so does the length (all prefixes of a text, each byte of it changed
 * at each position: no two hashes alike). */
static void test_hash(void)
{
    enum { LEN = 45, N = LEN + 1 + LEN * 3 };
    static uint64_t h[N];
    char text[LEN + 1] = "e3dc/s0042/battery/dcb/1/cell/12/temperature";
    size_t k = 0;
    for (size_t n = 0; n <= LEN; n++)
        h[k++] = bridge_hash_words(text, n);
    for (size_t i = 0; i < LEN; i++) {
        const char keep = text[i];
        const char alt[3] = {(char)(keep ^ 1), (char)(keep ^ 0x80), '\0'};
        for (int a = 0; a < 3; a++) {
            text[i] = alt[a] == keep ? 'x' : alt[a];
            h[k++] = bridge_hash_words(text, LEN);
        }
        text[i] = keep;
    }
    CHECK_INT(k, N);
    unsigned same = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++)
            same += h[i] == h[j];
    CHECK_INT(same, 0);
    /* Payloads that differ in one digit of a short number. */
    CHECK(bridge_hash_words("1234.5", 6) != bridge_hash_words("1234.6", 6));
    CHECK(bridge_hash_words("", 0) != bridge_hash_words("\0", 1));
}

/* The slot keeps the low 32 bits of the time and a float of the value:
 * ages across the 2^32 ms wrap are exact, and the deadband holds on large
 * values (a meter counter of millions of Wh) and on a value 0 after NAN. */
static void test_compact_slot(void)
{
    bridge_pubcache_init(&pc);
    int64_t t0 = ((int64_t)1 << 32) - 500; /* 500 ms before the wrap */
    bridge_pubcache_cycle(&pc);
    CHECK(take_num("grid/energy", 4003156.0, 10, t0));
    bridge_pubcache_cycle(&pc);
    CHECK(!take_num("grid/energy", 4003156.0, 10, t0 + 900)); /* after the wrap, 900 ms old */
    bridge_pubcache_cycle(&pc);
    CHECK(!take_num("grid/energy", 4003165.0, 10, t0 + 9999)); /* 9 Wh: inside the deadband */
    bridge_pubcache_cycle(&pc);
    CHECK(take_num("grid/energy", 4003165.0, 10, t0 + 10000)); /* max_age, exactly */
    bridge_pubcache_cycle(&pc);
    CHECK(take_num("grid/energy", 4003176.0, 10, t0 + 10100)); /* 11 Wh from the last: out */
    bridge_pubcache_cycle(&pc);
    CHECK(!take_num("grid/energy", 4003180.0, 10, t0 + 10200));
    /* ages of up to a day (the largest max_age) stay exact far from 0 */
    int64_t t1 = ((int64_t)7 << 32) + 12345;
    bridge_pubcache_cycle(&pc);
    CHECK(bridge_pubcache_take(&pc, "grid/energy", "1", 1, true, 1, 0, t1, 86400000));
    bridge_pubcache_cycle(&pc);
    CHECK(!bridge_pubcache_take(&pc, "grid/energy", "1", 1, true, 1, 0, t1 + 86399999, 86400000));
    bridge_pubcache_cycle(&pc);
    CHECK(bridge_pubcache_take(&pc, "grid/energy", "1", 1, true, 1, 0, t1 + 86400000, 86400000));
    CHECK_INT(sizeof(struct bridge_pub_slot), 24);
    bridge_pubcache_free(&pc);
}

int main(void)
{
    test_hash();
    test_basic();
    test_deadband();
    test_forget_topic();
    test_order();
    test_limit();
    test_compact_slot();
    return th_finish();
}
