/* The server's defence against password guessing: refusals answered late,
 * connections closed after a few refusals, and a bounded table of the
 * addresses that keep failing (each refusal doubles the delay of its
 * address up to a cap; an address forgotten after a quiet while). Also the
 * comparison of credentials in a time independent of their lengths. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "server/server_internal.h"

/* An address without a refusal for this many delays is forgotten. */
#define FORGET_AFTER_DELAYS 4

void rscp_server__addr_key(const struct sockaddr *sa, uint8_t key[RSCP_SERVER_ADDR_KEY])
{
    memset(key, 0, RSCP_SERVER_ADDR_KEY);
    if (!sa)
        return;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)sa;
        key[0] = 4;
        memcpy(key + 1, &v4->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)sa;
        const uint8_t *a = v6->sin6_addr.s6_addr;
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
        if (memcmp(a, mapped, sizeof mapped) == 0) {
            key[0] = 4;
            memcpy(key + 1, a + 12, 4);
        } else {
            /* one host usually owns a whole /64: count it as one address */
            key[0] = 6;
            memcpy(key + 1, a, 8);
        }
    }
}

#define PROBES 16u /* slots an address may occupy: its hash and the next ones */

static bool slot_matches(const struct rscp_server_addr *e, const uint8_t *key)
{
    return e->used && memcmp(e->key, key, RSCP_SERVER_ADDR_KEY) == 0;
}

static uint32_t addr_hash(const uint8_t *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (unsigned i = 0; i < RSCP_SERVER_ADDR_KEY; i++)
        h = (h ^ key[i]) * 16777619u;
    return h;
}

static struct rscp_server_addr *find_addr(const rscp_server *s, struct rscp_server_conn *conn)
{
    if (conn->addr_slot < RSCP_SERVER_ADDR_SLOTS && slot_matches(&s->addrs[conn->addr_slot], conn->addr_key))
        return (struct rscp_server_addr *)&s->addrs[conn->addr_slot];
    uint32_t h = addr_hash(conn->addr_key);
    for (uint32_t i = 0; i < PROBES; i++) {
        uint32_t k = (h + i) % RSCP_SERVER_ADDR_SLOTS;
        if (slot_matches(&s->addrs[k], conn->addr_key)) {
            conn->addr_slot = k;
            return (struct rscp_server_addr *)&s->addrs[k];
        }
    }
    return NULL;
}

int64_t rscp_server__addr_next_try(const rscp_server *s, struct rscp_server_conn *conn)
{
    const struct rscp_server_addr *e = find_addr(s, conn);
    return e ? e->next_try : 0;
}

/* The entry of conn's address, created when missing in a free slot of its
 * probe range, else in the one whose last refusal is oldest. */
static struct rscp_server_addr *addr_entry(rscp_server *s, struct rscp_server_conn *conn)
{
    struct rscp_server_addr *e = find_addr(s, conn);
    if (e)
        return e;
    uint32_t h = addr_hash(conn->addr_key), pick = h % RSCP_SERVER_ADDR_SLOTS;
    for (uint32_t i = 0; i < PROBES; i++) {
        uint32_t k = (h + i) % RSCP_SERVER_ADDR_SLOTS;
        if (!s->addrs[k].used) {
            pick = k;
            break;
        }
        if (s->addrs[k].last_failure < s->addrs[pick].last_failure)
            pick = k;
    }
    e = &s->addrs[pick];
    memset(e, 0, sizeof *e);
    e->used = true;
    memcpy(e->key, conn->addr_key, RSCP_SERVER_ADDR_KEY);
    conn->addr_slot = pick;
    return e;
}

void rscp_server__auth_refused(rscp_server *s, struct rscp_server_conn *conn, int64_t now)
{
    s->stats.auth_refused++;
    conn->auth_failures++;
    if (s->max_auth_failures && conn->auth_failures >= s->max_auth_failures) {
        conn->close_when_sent = true;
        s->stats.auth_closed++;
    }
    if (s->auth_delay_ms == 0)
        return;
    struct rscp_server_addr *e = addr_entry(s, conn);
    int64_t max = s->auth_delay_max_ms > s->auth_delay_ms ? s->auth_delay_max_ms : s->auth_delay_ms;
    /* a quiet address is forgiven step by step */
    if (e->failures && now - e->last_failure > FORGET_AFTER_DELAYS * max)
        e->failures = 0;
    int64_t delay = s->auth_delay_ms;
    for (uint32_t i = 0; i < e->failures && delay < max; i++)
        delay *= 2;
    if (delay > max)
        delay = max;
    e->failures++;
    e->last_failure = now;
    int64_t from = e->next_try > now ? e->next_try : now;
    e->next_try = from + delay;
    conn->hold_until = e->next_try;
}

void rscp_server__auth_accepted(rscp_server *s, struct rscp_server_conn *conn)
{
    struct rscp_server_addr *e = find_addr(s, conn);
    if (e)
        memset(e, 0, sizeof *e);
}

int rscp_server__secret_equal(const void *guess, size_t guess_len, const void *secret, size_t secret_len)
{
    /* Compare over span bytes, at least the secret's length rounded up to
     * 256: both inputs are read zero-extended, so the loop never stops at
     * the secret's length and the time only grows for guesses longer than
     * span. Length difference folded in. */
    static const unsigned char zero = 0;
    const unsigned char *g = guess_len ? guess : &zero;
    const unsigned char *k = secret_len ? secret : &zero;
    size_t span = (secret_len / 256 + 1) * 256;
    if (guess_len > span)
        span = guess_len;
    size_t diff = guess_len ^ secret_len;
    unsigned acc = 0;
    for (size_t i = 0; i < sizeof diff; i++)
        acc |= (unsigned)(diff >> (8 * i)) & 0xFFu;
    for (size_t i = 0; i < span; i++) {
        size_t gm = (size_t)0 - (size_t)(i < guess_len);  /* all ones inside the guess  */
        size_t km = (size_t)0 - (size_t)(i < secret_len); /* all ones inside the secret */
        unsigned a = g[i & gm] & (unsigned)(gm & 0xFFu);
        unsigned b = k[i & km] & (unsigned)(km & 0xFFu);
        acc |= a ^ b;
    }
    return acc == 0;
}
