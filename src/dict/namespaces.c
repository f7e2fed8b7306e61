/* Namespace byte <-> namespace name. */
#include "rscp/tags.h"

#include "dict/tags_data.h"
#include "rscp/error.h"

#include <string.h>

const char *rscp_namespace_name(uint8_t ns)
{
    return rscp__namespace_names[ns];
}

/* strcmp of upper-cased `s` against `upper` (already upper case). */
static int compare_upper(const char *s, const char *upper)
{
    for (;; s++, upper++) {
        unsigned char a = (unsigned char)*s;
        unsigned char b = (unsigned char)*upper;
        if (a >= 'a' && a <= 'z')
            a = (unsigned char)(a - 'a' + 'A');
        if (a != b || a == '\0')
            return (int)a - (int)b;
    }
}

int rscp_namespace_lookup(const char *name, uint8_t *ns)
{
    if (!name || !ns)
        return RSCP_ERR_ARG;
    size_t lo = 0, hi = RSCP__NAMESPACE_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_upper(name, rscp__namespaces[mid].name);
        if (c == 0) {
            *ns = rscp__namespaces[mid].ns;
            return RSCP_OK;
        }
        if (c > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return RSCP_ERR_UNKNOWN_NAME;
}
