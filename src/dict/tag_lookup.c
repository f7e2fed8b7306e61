/* Tag id for a name or a number.
 *
 * Names: "EMS.POWER_PV", "EMS_POWER_PV" and "TAG_EMS_POWER_PV", any case.
 * All three are folded to the upper-case underscore form and looked up in
 * the generated hash table (FNV-1a, linear probing, 16-bit hash filter per
 * slot; see tools/gen_dict.py).
 * The dotted form must also have its dot at the namespace boundary of the
 * entry, so "DB.SERVICE_X" and "DB_SERVICE.X" stay distinct even if their
 * underscore forms clashed; for a clash the generator inserts the tag with
 * the longer namespace first, which the underscore form then names.
 * "TAG_" is stripped only when the name as given is unknown.
 *
 * Numbers: "0x" + 1 or more hex digits, or decimal digits, the whole string,
 * at most 0xFFFFFFFF. Any such id is accepted, known to the dictionary or
 * not: devices speak tags that no public list has. */
#include "rscp/tags.h"

#include "dict/tags_data.h"
#include "rscp/error.h"

#include <string.h>

#define NO_DOT ((size_t)-1)

static unsigned char upper(unsigned char c)
{
    return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
}

/* Does the entry name (original case, one dot) match key[0..len), the
 * upper-case underscore form of the input whose dot, if any, was at `dot`? */
static bool matches(const char *name, const char *key, size_t len, size_t dot)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char e = (unsigned char)name[i];
        if (e == '\0')
            return false;
        if (e == '.') {
            if (dot != NO_DOT && dot != i)
                return false;
            e = '_';
        } else if (i == dot) {
            return false;
        }
        if (upper(e) != (unsigned char)key[i])
            return false;
    }
    return name[len] == '\0';
}

static const struct rscp_tag_info *find_name(const char *s, size_t len)
{
    char key[RSCP__TAG_NAME_MAX];
    size_t dot = NO_DOT;
    uint32_t h = RSCP__FNV_OFFSET;

    if (len == 0 || len > RSCP__TAG_NAME_MAX)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = upper((unsigned char)s[i]);
        if (c == '.' && dot == NO_DOT) {
            dot = i;
            c = '_';
        }
        key[i] = (char)c;
        h = (h ^ c) * RSCP__FNV_PRIME;
    }
    /* The table is at most half full: a probe always reaches an empty slot. */
    for (uint32_t slot = h & (RSCP__TAG_HASH_SIZE - 1);; slot = (slot + 1) & (RSCP__TAG_HASH_SIZE - 1)) {
        uint32_t entry = rscp__tag_hash[slot];
        if (entry == RSCP__TAG_HASH_EMPTY)
            return NULL;
        size_t index = entry & 0xFFFFu;
        if ((entry ^ h) >> 16 == 0 && matches(rscp__tags[index].name, key, len, dot))
            return &rscp__tags[index];
    }
}

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = upper(c);
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "0x1A2B" (1 or more hex digits) or "12345", the whole string, at most
 * 0xFFFFFFFF. */
static int parse_number(const char *s, uint32_t *id)
{
    uint64_t v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        if (*s == '\0')
            return RSCP_ERR_UNKNOWN_NAME;
        for (; *s; s++) {
            int d = hex_digit((unsigned char)*s);
            if (d < 0)
                return RSCP_ERR_UNKNOWN_NAME;
            v = v * 16u + (uint64_t)d;
            if (v > UINT32_MAX)
                return RSCP_ERR_UNKNOWN_NAME;
        }
    } else {
        for (; *s; s++) {
            if (*s < '0' || *s > '9')
                return RSCP_ERR_UNKNOWN_NAME;
            v = v * 10u + (uint64_t)(*s - '0');
            if (v > UINT32_MAX)
                return RSCP_ERR_UNKNOWN_NAME;
        }
    }
    *id = (uint32_t)v;
    return RSCP_OK;
}

int rscp_tag_lookup(const char *name, uint32_t *id)
{
    if (!name || !id)
        return RSCP_ERR_ARG;
    /* Namespaces start with a letter, so a leading digit means a number. */
    if (name[0] >= '0' && name[0] <= '9')
        return parse_number(name, id);

    size_t len = strlen(name);
    const struct rscp_tag_info *t = find_name(name, len);
    if (!t && len > 4 && upper((unsigned char)name[0]) == 'T' && upper((unsigned char)name[1]) == 'A' &&
        upper((unsigned char)name[2]) == 'G' && name[3] == '_')
        t = find_name(name + 4, len - 4);
    if (!t)
        return RSCP_ERR_UNKNOWN_NAME;
    *id = t->id;
    return RSCP_OK;
}
