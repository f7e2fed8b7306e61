/* rscp-bridge: the plant's model from its serial number (discovery.h).
 * The digit prefixes are how E3/DC numbers its product lines; the
 * four-character type prefixes come with the serial over RSCP. */
#include "discovery.h"

#include <string.h>

struct model_prefix {
    const char *digits;
    const char *model;
};

/* Longer prefixes first: "72" and "74" before "7x", "4" on its own. */
static const struct model_prefix by_digits[] = {
    {"72", "S10 E"},      {"74", "S10 E Compact"}, {"70", "S10 E PRO"},
    {"75", "S10 E PRO Compact"}, {"4", "S10 E"},   {"5", "S10 mini"},
    {"6", "Quattroporte"}, {"8", "S10 X"},
};

static const struct model_prefix by_type[] = {
    {"Q10-", "Quattroporte"}, {"P10-", "S10 E PRO"}, {"H20-", "S10 X"}, {"S10-", "S10 (model not known)"},
};

const char *bridge_discovery_model(const char *serial)
{
    if (!serial)
        return "E3/DC (model not known)";
    const char *digits = serial;
    if (!(serial[0] >= '0' && serial[0] <= '9') && strlen(serial) > 4 && serial[3] == '-')
        digits = serial + 4;
    if (digits[0] >= '0' && digits[0] <= '9')
        for (size_t i = 0; i < sizeof by_digits / sizeof by_digits[0]; i++)
            if (strncmp(digits, by_digits[i].digits, strlen(by_digits[i].digits)) == 0)
                return by_digits[i].model;
    for (size_t i = 0; i < sizeof by_type / sizeof by_type[0]; i++)
        if (strncmp(serial, by_type[i].digits, 4) == 0)
            return by_type[i].model;
    return "E3/DC (model not known)";
}
