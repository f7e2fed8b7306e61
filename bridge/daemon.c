/* rscp-bridge: the event loop. One thread: the sites' descriptors sit in
 * an epoll set (a thousand sites cost one descriptor in the poll() below),
 * and one poll() waits for that set, the signal descriptor, the MQTT
 * connection and the HTTP endpoint, up to the earliest deadline of any of
 * them. SIGHUP reloads the configuration (sites added, removed or changed;
 * the others keep running), SIGTERM and SIGINT stop after the sites have
 * ended their power holds and "offline" is published. */
#define _GNU_SOURCE
#include "daemon_internal.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "hash.h"
#include "http_server.h"
#include "log.h"
#include "mqtt.h"
#include "rscp/clock.h"

#define EPOLL_BATCH 256
#define STOP_GRACE_MS 3000 /* the longest a stop waits for holds to end */

bool bridge_shard_has(const char *name, unsigned k, unsigned n)
{
    if (n == 0)
        return true;
    uint64_t h = bridge_fnv1a(BRIDGE_FNV_OFFSET, name, strlen(name));
    return h % n == (uint64_t)(k - 1);
}

/* Keep the epoll registration in step with the site's descriptor. */
static void sync_site(struct daemon *d, struct dsite *ds, int64_t now_ms)
{
    int fd = bridge_site_fd(ds->rt);
    uint64_t conn = bridge_site_conn_id(ds->rt);
    short pe = bridge_site_events(ds->rt);
    uint32_t ev = ((pe & POLLIN) ? EPOLLIN : 0u) | ((pe & POLLOUT) ? EPOLLOUT : 0u);
    struct epoll_event e;
    memset(&e, 0, sizeof e);
    e.events = ev;
    e.data.ptr = ds;
    if (fd < 0) {
        if (ds->reg_fd >= 0)
            epoll_ctl(d->epfd, EPOLL_CTL_DEL, ds->reg_fd, NULL); /* ENOENT when closed already */
        ds->reg_fd = -1;
    } else if (fd != ds->reg_fd || conn != ds->reg_conn) {
        if (ds->reg_fd >= 0)
            epoll_ctl(d->epfd, EPOLL_CTL_DEL, ds->reg_fd, NULL);
        if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &e) != 0 && errno == EEXIST)
            epoll_ctl(d->epfd, EPOLL_CTL_MOD, fd, &e);
        ds->reg_fd = fd;
        ds->reg_events = ev;
        ds->reg_conn = conn;
    } else if (ev != ds->reg_events) {
        if (epoll_ctl(d->epfd, EPOLL_CTL_MOD, fd, &e) != 0 && errno == ENOENT)
            epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &e);
        ds->reg_events = ev;
    }
    ds->due_ms = bridge_site_next_deadline(ds->rt);
    (void)now_ms;
}

static struct dsite *site_create(struct daemon *d, const struct bridge_site *cfg, size_t index, int64_t now_ms)
{
    struct dsite *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    bridge_pubcache_init(&ds->pub);
    ds->d = d;
    struct bridge_site_events ev;
    daemon_mqtt_events(ds, &ev);
    char err[300];
    ds->rt = bridge_site_new(cfg, &ev, 0x9e3779b97f4a7c15ull * (index + 1), now_ms, err, sizeof err);
    if (!ds->rt) {
        BRIDGE_ERROR("%s", err);
        free(ds);
        return NULL;
    }
    ds->reg_fd = -1;
    ds->due_ms = bridge_site_next_deadline(ds->rt);
    return ds;
}

static void site_destroy(struct daemon *d, struct dsite *ds)
{
    if (ds->reg_fd >= 0)
        epoll_ctl(d->epfd, EPOLL_CTL_DEL, ds->reg_fd, NULL);
    bridge_site_free(ds->rt);
    bridge_pubcache_free(&ds->pub);
    free(ds->dcb_json);
    free(ds->disc_sent);
    free(ds);
}

/* The topic prefix of every site: the configured prefix alone with one
 * site (rscp2mqtt's topics exactly), "<prefix>/<site>" with several. The
 * sites of the configuration count, not those of this shard: a shard that
 * has one site of several still publishes under "<prefix>/<site>". */
static void set_prefixes(struct daemon *d)
{
    const char *p = d->cfg.mqtt.prefix ? d->cfg.mqtt.prefix : "e3dc";
    for (size_t i = 0; i < d->nsites; i++) {
        struct dsite *ds = d->sites[i];
        char old[DAEMON_TOPIC_MAX];
        snprintf(old, sizeof old, "%s", ds->prefix);
        if (d->cfg.nsites == 1)
            snprintf(ds->prefix, sizeof ds->prefix, "%s", p);
        else
            snprintf(ds->prefix, sizeof ds->prefix, "%s/%s", p, bridge_site_name(ds->rt));
        /* Going from one site to several (or back) moves a site's topics:
         * everything is published again under the new prefix. */
        if (strcmp(old, ds->prefix) != 0)
            daemon_site_added(d, ds);
    }
    /* Each shard's instance has a status (and last will) of its own: one
     * stopping does not mark the others' sites unavailable. */
    if (d->opts.shard_n)
        snprintf(d->bridge_status, sizeof d->bridge_status, "%s/bridge/%u-of-%u/status", p, d->opts.shard_k,
                 d->opts.shard_n);
    else
        snprintf(d->bridge_status, sizeof d->bridge_status, "%s/bridge/status", p);
}

static int load_config(const struct bridge_opts *o, struct bridge_config *out, char *err, size_t cap)
{
    int rc;
    if (o->config)
        rc = bridge_config_load(o->config, o->rscp2mqtt, out, err, cap);
    else
        rc = bridge_config_from_env(getenv, out, err, cap);
    if (rc != 0)
        return rc;
    /* Keep only this shard's sites. */
    size_t k = 0;
    for (size_t i = 0; i < out->nsites; i++) {
        if (bridge_shard_has(out->sites[i].name, o->shard_k, o->shard_n)) {
            if (k != i) {
                struct bridge_site tmp = out->sites[k];
                out->sites[k] = out->sites[i];
                out->sites[i] = tmp;
            }
            k++;
        }
    }
    out->nshard = k;
    /* The shards' instances share one configuration and one broker: each
     * needs a client id of its own, or the broker keeps closing one
     * instance's connection when the other connects. */
    if (o->shard_n && out->mqtt.client_id) {
        char id[320];
        snprintf(id, sizeof id, "%s-%u-of-%u", out->mqtt.client_id, o->shard_k, o->shard_n);
        char *dup = strdup(id);
        if (!dup) {
            bridge_config_free(out);
            snprintf(err, cap, "out of memory");
            return -1;
        }
        free(out->mqtt.client_id);
        out->mqtt.client_id = dup;
    }
    return 0;
}

static void print_plan(const struct daemon *d)
{
    const struct bridge_config *c = &d->cfg;
    printf("configuration: %s\n", d->opts.config ? d->opts.config : "(RSCP_* environment variables)");
    if (c->mqtt.enabled)
        printf("mqtt: %s:%u%s, client id %s, prefix %s, qos %u, keepalive %u s, max_age %u s%s\n", c->mqtt.host,
               c->mqtt.port, c->mqtt.tls ? " (TLS)" : "", c->mqtt.client_id, c->mqtt.prefix, c->mqtt.qos,
               c->mqtt.keepalive_s, c->mqtt.max_age_s, c->mqtt.user ? ", with user and password" : "");
    else
        printf("mqtt: off (values are printed as \"topic payload\" lines)\n");
    if (c->mqtt.enabled)
        printf("home assistant discovery: %s%s\n", c->ha.enabled ? "on, prefix " : "off",
               c->ha.enabled ? c->ha.prefix : "");
    if (d->opts.metrics)
        printf("prometheus: http://%s/metrics\n", d->opts.metrics);
    else if (c->prom.enabled)
        printf("prometheus: http://%s:%u/metrics\n", c->prom.host, c->prom.port);
    else
        printf("prometheus: off\n");
    if (d->opts.shard_n)
        printf("shard %u of %u: %zu of %zu sites\n", d->opts.shard_k, d->opts.shard_n, c->nshard, c->nsites);
    for (size_t i = 0; i < c->nshard; i++) {
        const struct bridge_site *s = &c->sites[i];
        char groups[128];
        bridge_groups_format(s->groups, groups, sizeof groups);
        printf("site %s: %s:%u as %s, every %.3g s, timeout %.3g s, groups %s\n", s->name, s->host, s->port, s->user,
               s->interval_ms / 1000.0, s->timeout_ms / 1000.0, groups);
    }
}

static void raise_fd_limit(size_t nsites)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < nsites + 200)
        BRIDGE_WARN("the descriptor limit %llu is low for %zu sites: raise LimitNOFILE",
                    (unsigned long long)rl.rlim_cur, nsites);
}

/* SIGHUP: read the configuration again; keep unchanged sites running. */
static void reload(struct daemon *d, int64_t now_ms)
{
    struct bridge_config nc;
    char err[512];
    if (load_config(&d->opts, &nc, err, sizeof err) != 0) {
        BRIDGE_ERROR("reload refused, the running configuration stays: %s", err);
        return;
    }
    struct dsite **ns = calloc(nc.nshard ? nc.nshard : 1, sizeof *ns);
    if (!ns) {
        bridge_config_free(&nc);
        BRIDGE_ERROR("reload: out of memory");
        return;
    }
    size_t kept = 0, added = 0, removed = 0;
    bool *used = calloc(d->nsites ? d->nsites : 1, sizeof *used);
    for (size_t i = 0; i < nc.nshard; i++) {
        for (size_t j = 0; j < d->nsites && used; j++)
            if (!used[j] && bridge_site_same_config(d->sites[j]->rt, &nc.sites[i])) {
                ns[i] = d->sites[j];
                used[j] = true;
                kept++;
                break;
            }
    }
    for (size_t j = 0; j < d->nsites; j++) {
        if (used && used[j])
            continue;
        /* Removed or changed: a changed site keeps its name, so its
         * retained topics are replaced, not cleared. */
        bool still = false;
        for (size_t i = 0; i < nc.nshard; i++)
            still = still || strcmp(nc.sites[i].name, bridge_site_name(d->sites[j]->rt)) == 0;
        daemon_site_removing(d, d->sites[j], !still);
        site_destroy(d, d->sites[j]);
        if (!still)
            removed++;
    }
    free(used);
    for (size_t i = 0; i < nc.nshard; i++) {
        if (ns[i])
            continue;
        ns[i] = site_create(d, &nc.sites[i], i, now_ms);
        if (!ns[i]) {
            BRIDGE_ERROR("reload: site %s not started", nc.sites[i].name);
            continue;
        }
        added++;
    }
    /* Sites that failed to start are dropped from the list. */
    size_t n = 0;
    for (size_t i = 0; i < nc.nshard; i++)
        if (ns[i])
            ns[n++] = ns[i];
    free(d->sites);
    d->sites = ns;
    d->nsites = n;
    d->sites_gen++; /* a /metrics page being streamed ends unfinished */
    bridge_config_free(&d->cfg);
    d->cfg = nc;
    set_prefixes(d);
    BRIDGE_INFO("configuration reloaded: %zu sites kept, %zu added or changed, %zu removed", kept, added, removed);
}

static int setup_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static bool all_settled(const struct daemon *d)
{
    for (size_t i = 0; i < d->nsites; i++)
        if (!bridge_site_settled(d->sites[i]->rt))
            return false;
    return true;
}

static bool all_idle(const struct daemon *d)
{
    for (size_t i = 0; i < d->nsites; i++)
        if (!bridge_site_idle(d->sites[i]->rt))
            return false;
    return true;
}

static int run_loop(struct daemon *d)
{
    size_t hcap = d->http ? bridge_http_max_fds(d->http) : 0;
    struct pollfd *fds = calloc(3 + hcap, sizeof *fds);
    struct epoll_event evs[EPOLL_BATCH];
    int64_t stop_deadline = 0;
    int rc = 0;
    if (!fds)
        return 1;
    for (;;) {
        int64_t now = rscp_monotonic_ms();
        if (d->stopping && (all_idle(d) || now >= stop_deadline))
            break;
        if (d->opts.once && all_settled(d))
            break;
        int64_t next = now + 60000;
        for (size_t i = 0; i < d->nsites; i++)
            if (d->sites[i]->due_ms < next)
                next = d->sites[i]->due_ms;
        size_t n = 0;
        fds[n++] = (struct pollfd){.fd = d->epfd, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = d->sigfd, .events = POLLIN};
        size_t mqtt_at = SIZE_MAX, http_at = 0;
        if (d->mqtt) {
            bridge_mqtt_flush(d->mqtt);
            int64_t md = bridge_mqtt_next_deadline(d->mqtt);
            if (md >= 0 && md < next)
                next = md;
            int mfd = bridge_mqtt_fd(d->mqtt);
            if (mfd >= 0) {
                mqtt_at = n;
                fds[n++] = (struct pollfd){
                    .fd = mfd, .events = (short)(POLLIN | (bridge_mqtt_wants_write(d->mqtt) ? POLLOUT : 0))};
            }
        }
        if (d->http) {
            int64_t hd = bridge_http_next_deadline(d->http);
            if (hd >= 0 && hd < next)
                next = hd;
            http_at = n;
            n += bridge_http_pollfds(d->http, fds + n, hcap);
        }
        if (d->stopping && stop_deadline < next)
            next = stop_deadline;
        int timeout = next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
        int pr = poll(fds, (nfds_t)n, timeout);
        if (pr < 0 && errno != EINTR) {
            BRIDGE_ERROR("poll: %s", strerror(errno));
            rc = 1;
            break;
        }
        now = rscp_monotonic_ms();
        if (fds[0].revents) {
            int k = epoll_wait(d->epfd, evs, EPOLL_BATCH, 0);
            for (int i = 0; i < k; i++) {
                struct dsite *ds = evs[i].data.ptr;
                short re = (short)(((evs[i].events & EPOLLIN) ? POLLIN : 0) |
                                   ((evs[i].events & EPOLLOUT) ? POLLOUT : 0) |
                                   ((evs[i].events & EPOLLERR) ? POLLERR : 0) |
                                   ((evs[i].events & EPOLLHUP) ? POLLHUP : 0));
                bridge_site_io(ds->rt, re, now);
                sync_site(d, ds, now);
            }
        }
        if (fds[1].revents) {
            struct signalfd_siginfo si;
            while (read(d->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
                if (si.ssi_signo == SIGHUP && !d->stopping) {
                    BRIDGE_INFO("SIGHUP: reloading the configuration");
                    reload(d, now);
                    free(fds);
                    hcap = d->http ? bridge_http_max_fds(d->http) : 0;
                    fds = calloc(3 + hcap, sizeof *fds);
                    if (!fds)
                        return 1;
                    goto next_turn;
                } else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
                    if (!d->stopping) {
                        BRIDGE_INFO("stopping (signal %u)", si.ssi_signo);
                        d->stopping = true;
                        stop_deadline = now + STOP_GRACE_MS;
                        for (size_t i = 0; i < d->nsites; i++) {
                            bridge_site_drain(d->sites[i]->rt, now);
                            sync_site(d, d->sites[i], now);
                        }
                    }
                }
            }
        }
        if (d->mqtt) {
            if (mqtt_at != SIZE_MAX && (fds[mqtt_at].revents & POLLOUT))
                bridge_mqtt_on_writable(d->mqtt, now);
            if (mqtt_at != SIZE_MAX && (fds[mqtt_at].revents & (POLLIN | POLLERR | POLLHUP)))
                bridge_mqtt_on_readable(d->mqtt, now);
            bridge_mqtt_on_timer(d->mqtt, now);
        }
        if (d->http)
            bridge_http_process(d->http, fds + http_at, n - http_at, now);
        for (size_t i = 0; i < d->nsites; i++) {
            struct dsite *ds = d->sites[i];
            if (ds->due_ms <= now) {
                bridge_site_timer(ds->rt, now);
                sync_site(d, ds, now);
            }
        }
    next_turn:;
    }
    free(fds);
    return rc;
}

int bridge_daemon_main(const struct bridge_opts *o)
{
    struct daemon d;
    memset(&d, 0, sizeof d);
    d.opts = *o;
    d.epfd = -1;
    d.sigfd = -1;
    if (o->verbose)
        bridge_log_set_level(BRIDGE_LOG_DEBUG);
    char err[512];
    if (load_config(o, &d.cfg, err, sizeof err) != 0) {
        fprintf(stderr, "rscp-bridge: %s\n", err);
        return 2;
    }
    if (o->check) {
        set_prefixes(&d);
        print_plan(&d);
        bridge_config_free(&d.cfg);
        return 0;
    }
    if (d.cfg.nshard == 0)
        BRIDGE_WARN("no site to poll%s", o->shard_n ? " in this shard" : "");
    raise_fd_limit(d.cfg.nshard);
    d.sigfd = setup_signals();
    d.epfd = epoll_create1(EPOLL_CLOEXEC);
    if (d.sigfd < 0 || d.epfd < 0) {
        BRIDGE_ERROR("cannot set up the loop: %s", strerror(errno));
        return 1;
    }
    int status = 0;
    int64_t now = rscp_monotonic_ms();
    d.sites = calloc(d.cfg.nshard ? d.cfg.nshard : 1, sizeof *d.sites);
    for (size_t i = 0; d.sites && i < d.cfg.nshard; i++) {
        struct dsite *ds = site_create(&d, &d.cfg.sites[i], i, now);
        if (ds)
            d.sites[d.nsites++] = ds;
    }
    set_prefixes(&d);
    if (!d.sites || d.nsites < d.cfg.nshard) {
        status = 1;
        goto out;
    }
    if (daemon_http_start(&d, err, sizeof err) != 0 || daemon_mqtt_start(&d, err, sizeof err) != 0) {
        BRIDGE_ERROR("%s", err);
        status = 1;
        goto out;
    }
    BRIDGE_INFO("polling %zu site(s)%s", d.nsites, d.mqtt ? "" : "; no MQTT: values on stdout");
    status = run_loop(&d);
out:
    for (size_t i = 0; i < d.nsites; i++)
        daemon_site_removing(&d, d.sites[i], false);
    if (d.mqtt) {
        daemon_mqtt_publish(&d, d.bridge_status, "offline", 7, true);
        bridge_mqtt_flush_and_disconnect(d.mqtt, 2000);
        bridge_mqtt_free(d.mqtt);
    }
    for (size_t i = 0; i < d.nsites; i++)
        site_destroy(&d, d.sites[i]);
    free(d.sites);
    bridge_http_free(d.http);
    if (d.epfd >= 0)
        close(d.epfd);
    if (d.sigfd >= 0)
        close(d.sigfd);
    bridge_config_free(&d.cfg);
    return status;
}
