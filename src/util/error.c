/* Error names and messages, generated from RSCP_ERROR_MAP. */
#include "rscp/error.h"

struct error_entry {
    int code;
    bool fatal;
    const char *name;
    const char *message;
};

static const struct error_entry errors[] = {
#define RSCP_X_ENTRY(name, value, fatal, msg) {(value), (fatal) != 0, #name, (msg)},
    RSCP_ERROR_MAP(RSCP_X_ENTRY)
#undef RSCP_X_ENTRY
};

static const struct error_entry *find(int err)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        if (errors[i].code == err)
            return &errors[i];
    return NULL;
}

const char *rscp_strerror(int err)
{
    const struct error_entry *e = find(err);
    return e ? e->message : "unknown error";
}

const char *rscp_error_name(int err)
{
    const struct error_entry *e = find(err);
    return e ? e->name : NULL;
}

bool rscp_error_is_fatal(int err)
{
    const struct error_entry *e = find(err);
    return e && e->fatal;
}
