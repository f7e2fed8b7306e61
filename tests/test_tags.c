/* The tag dictionary against the TSV files it is generated from.
 *
 * The test parses data/tags.tsv, types.tsv, errors.tsv, auth-levels.tsv and
 * secrets.tsv itself (plain C, nothing shared with the generator) and checks
 * every row in every accepted name form, plus unknown ids and names, number
 * forms, namespaces, device errors, authentication levels, secrets and the
 * ordering of rscp_tag_at(). */
#include "harness.h"
#include "rscp/error.h"
#include "rscp/tags.h"
#include "rscp/types.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_FIELDS 8

/* ---- a tiny TSV reader ----------------------------------------------------- */

struct table {
    char *text;         /* whole file, tabs and newlines replaced by NULs */
    char **cells;       /* rows * cols cell pointers, header excluded     */
    size_t rows, cols;
};

static void load_table(struct table *t, const char *file, size_t cols)
{
    char path[1024];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/data/%s", RSCP_SOURCE_DIR, file);
    uint8_t *raw = th_read_file(path, &len);
    if (!raw) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    t->text = malloc(len + 1);
    memcpy(t->text, raw, len);
    t->text[len] = '\0';
    free(raw);
    t->cols = cols;
    t->rows = 0;
    size_t cap = 64;
    t->cells = malloc(cap * cols * sizeof *t->cells);
    bool header = true;
    for (char *line = t->text; *line;) {
        char *end = strchr(line, '\n');
        char *next = end ? end + 1 : line + strlen(line);
        if (end)
            *end = '\0';
        if (end > line && end[-1] == '\r')
            end[-1] = '\0';
        if (*line == '\0') {
            line = next;
            continue;
        }
        char *field[MAX_FIELDS];
        size_t n = 0;
        for (char *p = line;;) {
            char *tab = strchr(p, '\t');
            if (n < MAX_FIELDS)
                field[n++] = p;
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (!header) {
            if (t->rows == cap) {
                cap *= 2;
                t->cells = realloc(t->cells, cap * cols * sizeof *t->cells);
            }
            for (size_t c = 0; c < cols; c++)
                t->cells[t->rows * cols + c] = c < n ? field[c] : (char *)"";
            t->rows++;
        }
        header = false;
        line = next;
    }
}

static const char *cell(const struct table *t, size_t row, size_t col)
{
    return t->cells[row * t->cols + col];
}

static void free_table(struct table *t)
{
    free(t->cells);
    free(t->text);
}

/* ---- helpers ---------------------------------------------------------------- */

struct row {
    uint32_t id;
    char full[128];  /* NS.NAME                  */
    char under[128]; /* NS_NAME, upper case      */
    size_t ns_len;
    int type;
    bool secret;
};

static void upper_copy(char *dst, const char *src)
{
    for (; *src; src++, dst++)
        *dst = (*src >= 'a' && *src <= 'z') ? (char)(*src - 'a' + 'A') : *src;
    *dst = '\0';
}

static void lower_copy(char *dst, const char *src)
{
    for (; *src; src++, dst++)
        *dst = (*src >= 'A' && *src <= 'Z') ? (char)(*src - 'A' + 'a') : *src;
    *dst = '\0';
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static const struct row *g_rows;

/* Sort index by the underscore form, then longest namespace first: the
 * documented rule for underscore forms that two tags share. */
static int cmp_under(const void *a, const void *b)
{
    const struct row *x = &g_rows[*(const size_t *)a], *y = &g_rows[*(const size_t *)b];
    int c = strcmp(x->under, y->under);
    if (c)
        return c;
    return x->ns_len > y->ns_len ? -1 : x->ns_len < y->ns_len;
}

static uint32_t lookup_or(const char *name, uint32_t fallback)
{
    uint32_t id = fallback;
    int rc = rscp_tag_lookup(name, &id);
    return rc == RSCP_OK ? id : fallback;
}

static bool id_known(const uint32_t *ids, size_t n, uint32_t id)
{
    return bsearch(&id, ids, n, sizeof *ids, cmp_u32) != NULL;
}

/* ---- main --------------------------------------------------------------------- */

/* ---- speed ----------------------------------------------------------------- */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Nanoseconds per lookup of the i-th entry's name (in the form `form`) and
 * of its id: the best of several runs. */
static void time_entry(size_t i, int form, double *by_name, double *by_id)
{
    const struct rscp_tag_info *t = rscp_tag_at(i);
    char name[160];
    if (form == 0) {
        snprintf(name, sizeof name, "%s", t->name);
    } else {
        snprintf(name, sizeof name, "%s%s", form == 2 ? "tag_" : "", t->name);
        for (char *p = name; *p; p++)
            *p = *p == '.' ? '_' : (char)(form == 2 ? *p | 0x20 : *p);
    }
    enum { REPS = 2000 };
    *by_name = *by_id = 1e30;
    volatile uint32_t sink = 0;
    for (int run = 0; run < 5; run++) {
        double t0 = now_ns();
        for (int k = 0; k < REPS; k++) {
            uint32_t id = 0;
            rscp_tag_lookup(name, &id);
            sink += id;
        }
        double t1 = now_ns();
        for (int k = 0; k < REPS; k++)
            sink += (uint32_t)(rscp_tag_name(t->id) != NULL);
        double t2 = now_ns();
        if ((t1 - t0) / REPS < *by_name)
            *by_name = (t1 - t0) / REPS;
        if ((t2 - t1) / REPS < *by_id)
            *by_id = (t2 - t1) / REPS;
    }
    (void)sink;
}

/* Lookups take about the same time for the first and the last entry, and
 * far less than a scan of all names would: no linear search. */
static void test_speed(void)
{
    size_t last = rscp_tag_count() - 1;
    double worst_ratio_name = 0, worst_ratio_id = 0, worst_name = 0, worst_id = 0;
    for (int form = 0; form < 3; form++) {
        double n0, i0, n1, i1;
        time_entry(0, form, &n0, &i0);
        time_entry(last, form, &n1, &i1);
        double rn = n1 > n0 ? n1 / n0 : n0 / n1, ri = i1 > i0 ? i1 / i0 : i0 / i1;
        worst_ratio_name = rn > worst_ratio_name ? rn : worst_ratio_name;
        worst_ratio_id = ri > worst_ratio_id ? ri : worst_ratio_id;
        worst_name = n0 > worst_name ? n0 : n1 > worst_name ? n1 : worst_name;
        worst_id = i0 > worst_id ? i0 : i1 > worst_id ? i1 : worst_id;
    }
    /* a scan of the whole dictionary per call, comparing names */
    double t0 = now_ns();
    volatile size_t hits = 0;
    const char *want = rscp_tag_at(last)->name;
    for (int k = 0; k < 20; k++)
        for (size_t i = 0; i < rscp_tag_count(); i++)
            hits += strcasecmp(rscp_tag_at(i)->name, want) == 0;
    double scan = (now_ns() - t0) / 20;
    CHECK_INT(hits, 20);
    printf("lookup: name -> id %.0f ns, id -> name %.0f ns (worst of first/last entry, 3 name forms); "
           "last/first ratio %.2f / %.2f; a linear scan takes %.0f ns\n",
           worst_name, worst_id, worst_ratio_name, worst_ratio_id, scan);
    CHECK(worst_ratio_name < 8.0);
    CHECK(worst_ratio_id < 8.0);
    CHECK(worst_name * 10 < scan);
    CHECK(worst_id * 10 < scan);
}

int main(void)
{
    struct table tags, types, errors, levels, secrets;
    load_table(&tags, "tags.tsv", 4);
    load_table(&types, "types.tsv", 2);
    load_table(&errors, "errors.tsv", 2);
    load_table(&levels, "auth-levels.tsv", 3);
    load_table(&secrets, "secrets.tsv", 2);

    CHECK_INT(tags.rows, 3568);
    CHECK_INT(rscp_tag_count(), tags.rows);

    /* Rows, with types resolved through types.tsv and secrets through secrets.tsv. */
    size_t n = tags.rows;
    struct row *rows = calloc(n, sizeof *rows);
    uint32_t *ids = malloc(n * sizeof *ids);
    for (size_t i = 0; i < n; i++) {
        struct row *r = &rows[i];
        r->id = (uint32_t)strtoul(cell(&tags, i, 0), NULL, 16);
        snprintf(r->full, sizeof r->full, "%s.%s", cell(&tags, i, 1), cell(&tags, i, 2));
        char under[128];
        snprintf(under, sizeof under, "%s_%s", cell(&tags, i, 1), cell(&tags, i, 2));
        upper_copy(r->under, under);
        r->ns_len = strlen(cell(&tags, i, 1));
        r->type = -1;
        const char *tn = cell(&tags, i, 3);
        if (*tn) {
            r->type = -2; /* an unknown type name fails the type check below */
            for (size_t k = 0; k < types.rows; k++)
                if (strcmp(cell(&types, k, 1), tn) == 0)
                    r->type = (int)strtol(cell(&types, k, 0), NULL, 16);
        }
        for (size_t k = 0; k < secrets.rows; k++)
            if ((uint32_t)strtoul(cell(&secrets, k, 0), NULL, 16) == r->id) {
                r->secret = true;
                CHECK(strcmp(cell(&secrets, k, 1), r->full) == 0);
            }
        ids[i] = r->id;
    }
    qsort(ids, n, sizeof *ids, cmp_u32);

    /* Expected target of each underscore form (longest namespace wins). */
    g_rows = rows;
    size_t *by_under = malloc(n * sizeof *by_under);
    uint32_t *under_target = malloc(n * sizeof *under_target);
    for (size_t i = 0; i < n; i++)
        by_under[i] = i;
    qsort(by_under, n, sizeof *by_under, cmp_under);
    for (size_t k = 0; k < n; k++) {
        size_t first = k;
        while (first > 0 && strcmp(rows[by_under[first - 1]].under, rows[by_under[k]].under) == 0)
            first--;
        under_target[by_under[k]] = rows[by_under[first]].id;
    }

    /* Every row, by id and by name in every accepted form. */
    unsigned bad_rows = 0;
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        unsigned before = th_failures();
        char buf[160], low[160];

        const struct rscp_tag_info *info = rscp_tag_info(r->id);
        CHECK(info != NULL);
        if (info) {
            CHECK_INT(info->id, r->id);
            CHECK(strcmp(info->name, r->full) == 0);
            CHECK_INT(info->type, r->type);
            CHECK_INT(info->secret, r->secret);
        }
        const char *name = rscp_tag_name(r->id);
        CHECK(name != NULL && strcmp(name, r->full) == 0);
        CHECK_INT(rscp_tag_type(r->id), r->type);
        CHECK_INT(rscp_tag_is_secret(r->id), r->secret);
        CHECK_INT(rscp_tag_is_response(r->id), (r->id >> 23) & 1u);

        /* dotted form, as written, upper and lower case */
        CHECK_INT(lookup_or(r->full, ~r->id), r->id);
        upper_copy(buf, r->full);
        CHECK_INT(lookup_or(buf, ~r->id), r->id);
        lower_copy(low, r->full);
        CHECK_INT(lookup_or(low, ~r->id), r->id);
        snprintf(buf, sizeof buf, "TAG_%s", r->full);
        CHECK_INT(lookup_or(buf, ~r->id), r->id);

        /* underscore form with and without TAG_, upper and lower case */
        uint32_t want = under_target[i];
        CHECK_INT(lookup_or(r->under, ~want), want);
        lower_copy(low, r->under);
        CHECK_INT(lookup_or(low, ~want), want);
        snprintf(buf, sizeof buf, "TAG_%s", r->under);
        CHECK_INT(lookup_or(buf, ~want), want);
        lower_copy(low, buf);
        CHECK_INT(lookup_or(low, ~want), want);

        /* numbers */
        snprintf(buf, sizeof buf, "0x%08X", (unsigned)r->id);
        CHECK_INT(lookup_or(buf, ~r->id), r->id);
        snprintf(buf, sizeof buf, "0X%x", (unsigned)r->id);
        CHECK_INT(lookup_or(buf, ~r->id), r->id);
        snprintf(buf, sizeof buf, "%u", (unsigned)r->id);
        CHECK_INT(lookup_or(buf, ~r->id), r->id);

        /* near misses: a character more or less, a second dot */
        uint32_t id = 0;
        snprintf(buf, sizeof buf, "%sX", r->full);
        CHECK_INT(rscp_tag_lookup(buf, &id), RSCP_ERR_UNKNOWN_NAME);
        snprintf(buf, sizeof buf, "%.*s", (int)(strlen(r->full) - 1), r->full);
        if (lookup_or(buf, 0xDEADBEEFu) != 0xDEADBEEFu) {
            /* a shorter name may exist (EMS.X / EMS.XY): it must be that tag */
            const char *other = rscp_tag_name(lookup_or(buf, 0));
            CHECK(other != NULL && strcasecmp(other, buf) == 0);
        }
        snprintf(buf, sizeof buf, "%s.", r->full);
        CHECK_INT(rscp_tag_lookup(buf, &id), RSCP_ERR_UNKNOWN_NAME);
        /* the dot moved to the first underscore of the name: either unknown
         * or exactly the tag whose full name that is */
        char *us = strchr(r->full + r->ns_len + 1, '_');
        if (us) {
            snprintf(buf, sizeof buf, "%s", r->full);
            buf[r->ns_len] = '_';
            buf[us - r->full] = '.';
            uint32_t got = lookup_or(buf, 0xDEADBEEFu);
            if (got != 0xDEADBEEFu) {
                const char *other = rscp_tag_name(got);
                CHECK(other != NULL && strcasecmp(other, buf) == 0);
            }
        }
        if (th_failures() != before && ++bad_rows <= 5)
            fprintf(stderr, "  row %zu (%s) failed\n", i + 2, r->full);
    }

    /* rscp_tag_at: ascending, exactly the ids of tags.tsv */
    for (size_t i = 0; i < n; i++) {
        const struct rscp_tag_info *t = rscp_tag_at(i);
        if (!t) {
            CHECK(t != NULL);
            break;
        }
        if (t->id != ids[i]) {
            CHECK_INT(t->id, ids[i]);
            break;
        }
        if (i > 0 && !(rscp_tag_at(i - 1)->id < t->id)) {
            CHECK(rscp_tag_at(i - 1)->id < t->id);
            break;
        }
        if (rscp_tag_info(t->id) != t) {
            CHECK(rscp_tag_info(t->id) == t);
            break;
        }
    }
    CHECK(rscp_tag_at(n) == NULL);
    CHECK(rscp_tag_at((size_t)-1) == NULL);

    /* Unknown ids: the neighbours of every id and random ids. */
    for (size_t i = 0; i < n; i++) {
        uint32_t probe[2] = {ids[i] + 1u, ids[i] - 1u};
        for (int k = 0; k < 2; k++) {
            if (id_known(ids, n, probe[k]))
                continue;
            CHECK(rscp_tag_info(probe[k]) == NULL);
            CHECK(rscp_tag_name(probe[k]) == NULL);
            CHECK_INT(rscp_tag_type(probe[k]), -1);
            CHECK(!rscp_tag_is_secret(probe[k]));
        }
    }
    th_seed(12345);
    for (int k = 0; k < 100000; k++) {
        uint32_t id = (uint32_t)th_rand();
        if (k & 1)
            id = (id & 0xFF00FFFFu) | (ids[th_rand_below((uint32_t)n)] & 0x00FF0000u);
        CHECK_INT(rscp_tag_info(id) != NULL, id_known(ids, n, id));
    }
    CHECK(rscp_tag_is_response(0x01800001u));
    CHECK(!rscp_tag_is_response(0x01000001u));
    CHECK(rscp_tag_is_response(0x00800000u));
    CHECK(!rscp_tag_is_response(0xFF7FFFFFu));

    /* Known values from the protocol notes. */
    uint32_t id = 0;
    CHECK_INT(rscp_tag_lookup("EMS.POWER_PV", &id), RSCP_OK);
    CHECK_INT(id, 0x01800001u);
    CHECK_INT(lookup_or("ems_power_pv", 0), 0x01800001u);
    CHECK_INT(lookup_or("Tag_Ems_Power_Pv", 0), 0x01800001u);
    CHECK_INT(lookup_or("EMS.REQ_POWER_PV", 0), 0x01000001u);
    CHECK_INT(lookup_or("HG_OCPP_WB_CFG_LC_PARAM_TOKEN", 0), 0x2C400001u);
    CHECK_INT(lookup_or("TAG_HG_OCPP_WB_CFG_LC_PARAM_TOKEN", 0), 0x2C400001u);
    CHECK_INT(lookup_or("RSCP_TAG_AVAHIB_RESPONSE_PLAY", 0), 0x0080000Eu);
    CHECK(strcmp(rscp_tag_name(0x01800001u), "EMS.POWER_PV") == 0);

    /* Numbers: the whole 32-bit range, unknown ids included. */
    CHECK_INT(lookup_or("0", 1), 0);
    CHECK_INT(lookup_or("0x0", 1), 0);
    CHECK_INT(lookup_or("4294967295", 0), 0xFFFFFFFFu);
    CHECK_INT(lookup_or("0xffffffff", 0), 0xFFFFFFFFu);
    CHECK_INT(lookup_or("0x00000000FFFFFFFF", 0), 0xFFFFFFFFu);
    CHECK_INT(lookup_or("0x12345678", 0), 0x12345678u);
    CHECK_INT(lookup_or("25165825", 0), 0x01800001u);

    static const char *const bad[] = {
        "", "EMS", "EMS.", ".", "_", "EMS.POWER_PV ", " EMS.POWER_PV", "EMS..POWER_PV", "EMS.POWER.PV",
        "EMS_POWER.PV", "EMS.POWER_PV_", "XEMS.POWER_PV", "TAG_", "TAG_TAG_EMS_POWER_PV", "TAG",
        "EMS.NO_SUCH_TAG", "NOSUCHNS.POWER_PV", "0x", "0x1g", "0x100000000", "4294967296", "-1", "+1",
        "1 ", "12a", "0x-1", "99999999999999999999999", "EMS\tPOWER_PV",
        "EMS.POWER_PVAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        id = 0x5A5A5A5Au;
        int rc = rscp_tag_lookup(bad[i], &id);
        if (rc != RSCP_ERR_UNKNOWN_NAME)
            fprintf(stderr, "  accepted bad name \"%s\"\n", bad[i]);
        CHECK_INT(rc, RSCP_ERR_UNKNOWN_NAME);
        CHECK_INT(id, 0x5A5A5A5Au);
    }
    CHECK_INT(rscp_tag_lookup(NULL, &id), RSCP_ERR_ARG);
    CHECK_INT(rscp_tag_lookup("EMS.POWER_PV", NULL), RSCP_ERR_ARG);

    /* Namespaces: byte -> name as in the id/namespace columns of tags.tsv. */
    const char *ns_of[256] = {0};
    for (size_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)(rows[i].id >> 24);
        const char *ns = cell(&tags, i, 1);
        if (!ns_of[b])
            ns_of[b] = ns;
        CHECK(strcmp(ns_of[b], ns) == 0); /* one name per byte in this data */
    }
    unsigned ns_count = 0;
    for (unsigned b = 0; b < 256; b++) {
        const char *got = rscp_namespace_name((uint8_t)b);
        if (!ns_of[b]) {
            CHECK(got == NULL);
            continue;
        }
        ns_count++;
        CHECK(got != NULL && strcmp(got, ns_of[b]) == 0);
        uint8_t ns = 0;
        CHECK_INT(rscp_namespace_lookup(ns_of[b], &ns), RSCP_OK);
        CHECK_INT(ns, b);
        char low[64];
        lower_copy(low, ns_of[b]);
        ns = 0;
        CHECK_INT(rscp_namespace_lookup(low, &ns), RSCP_OK);
        CHECK_INT(ns, b);
    }
    CHECK_INT(ns_count, 60);
    CHECK(strcmp(rscp_namespace_name(0x01), "EMS") == 0);
    CHECK(strcmp(rscp_namespace_name(0x2C), "HG_OCPP_WB_CFG_LC") == 0);
    uint8_t ns = 0x77;
    CHECK_INT(rscp_namespace_lookup("NOPE", &ns), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_namespace_lookup("", &ns), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_namespace_lookup("EMS.", &ns), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_namespace_lookup("EM", &ns), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(rscp_namespace_lookup("HG_OCPP", &ns), RSCP_ERR_UNKNOWN_NAME);
    CHECK_INT(ns, 0x77);
    CHECK_INT(rscp_namespace_lookup(NULL, &ns), RSCP_ERR_ARG);
    CHECK_INT(rscp_namespace_lookup("EMS", NULL), RSCP_ERR_ARG);

    /* Device error codes. */
    CHECK_INT(errors.rows, 9);
    for (size_t i = 0; i < errors.rows; i++) {
        uint32_t code = (uint32_t)strtoul(cell(&errors, i, 0), NULL, 16);
        const char *got = rscp_device_error_name(code);
        CHECK(got != NULL && strcmp(got, cell(&errors, i, 1)) == 0);
    }
    CHECK(rscp_device_error_name(7) && strcmp(rscp_device_error_name(7), "UNKNOWN_TAG") == 0);
    CHECK(rscp_device_error_name(0xFFFFFFFFu) && strcmp(rscp_device_error_name(0xFFFFFFFFu), "UNEXPECTED") == 0);
    CHECK(rscp_device_error_name(0) == NULL);
    CHECK(rscp_device_error_name(9) == NULL);
    CHECK(rscp_device_error_name(0xFFFFFFFEu) == NULL);

    /* Authentication levels: the primary name of auth-levels.tsv. */
    CHECK_INT(levels.rows, 7);
    for (size_t i = 0; i < levels.rows; i++) {
        const char *got = rscp_auth_level_name(atoi(cell(&levels, i, 0)));
        CHECK(got != NULL && strcmp(got, cell(&levels, i, 1)) == 0);
    }
    CHECK(rscp_auth_level_name(10) && strcmp(rscp_auth_level_name(10), "USER") == 0);
    CHECK(rscp_auth_level_name(30) && strcmp(rscp_auth_level_name(30), "PARTNER") == 0);
    CHECK(rscp_auth_level_name(0) && strcmp(rscp_auth_level_name(0), "NO_AUTH") == 0);
    CHECK(rscp_auth_level_name(-1) == NULL);
    CHECK(rscp_auth_level_name(15) == NULL);
    CHECK(rscp_auth_level_name(70) == NULL);

    /* Secrets: the two the protocol requires, none of the "is set" flags. */
    CHECK(rscp_tag_is_secret(0x00000003u)); /* RSCP.AUTHENTICATION_PASSWORD      */
    CHECK(rscp_tag_is_secret(0x00000005u)); /* RSCP.REQ_SET_ENCRYPTION_PASSPHRASE */
    CHECK(!rscp_tag_is_secret(0x00000002u)); /* AUTHENTICATION_USER               */
    CHECK(!rscp_tag_is_secret(0x00800005u)); /* SET_ENCRYPTION_PASSPHRASE (BOOL)  */
    CHECK(!rscp_tag_is_secret(0x0A80003Au)); /* INFO.IS_RSCP_PASSWORD_SET         */
    CHECK(!rscp_tag_is_secret(0x01800001u));
    size_t secret_count = 0;
    for (size_t i = 0; i < rscp_tag_count(); i++) {
        const struct rscp_tag_info *t = rscp_tag_at(i);
        if (!t->secret)
            continue;
        secret_count++;
        CHECK(t->type != RSCP_TYPE_BOOL);
        CHECK(strstr(t->name, "PASSW") || strstr(t->name, "PASSPHRASE") || strstr(t->name, "TOKEN") ||
              strstr(t->name, "PIN") || strstr(t->name, "PW") || strstr(t->name, "CREDENTIALS"));
    }
    CHECK_INT(secret_count, secrets.rows);
    CHECK(secret_count >= 2);

    test_speed();

    free(under_target);
    free(by_under);
    free(ids);
    free(rows);
    free_table(&tags);
    free_table(&types);
    free_table(&errors);
    free_table(&levels);
    free_table(&secrets);
    return th_finish();
}
