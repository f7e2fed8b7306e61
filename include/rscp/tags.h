/* librscp: the tag dictionary, generated from the TSV files in data/ by tools/gen_dict.py.
 *
 * Names are "NAMESPACE.NAME" as in tags.tsv ("EMS.POWER_PV"). All lookups
 * are table lookups (binary search or hash), never a linear scan. Static
 * data; every call is thread-safe. */
#ifndef RSCP_TAGS_H
#define RSCP_TAGS_H

#include "rscp/common.h"

/* One dictionary entry. */
struct rscp_tag_info {
    uint32_t id;
    const char *name;  /* "EMS.POWER_PV"                                   */
    int16_t type;      /* expected type code (enum rscp_type), -1 unknown */
    bool secret;       /* value is a password/passphrase/token: mask it   */
};

RSCP_BEGIN_DECLS

/* Entry for a tag id (static storage), or NULL if the dictionary does not
 * know it. */
RSCP_API const struct rscp_tag_info *rscp_tag_info(uint32_t id);

/* "EMS.POWER_PV" (static storage), or NULL for an unknown id. */
RSCP_API const char *rscp_tag_name(uint32_t id);

/* Tag id for a name. Accepted forms: "EMS.POWER_PV", "EMS_POWER_PV",
 * "TAG_EMS_POWER_PV" (case-insensitive), and numbers "0x01800001" or
 * decimal (any id up to 0xFFFFFFFF, known to the dictionary or not).
 * Returns 0 with *id set, RSCP_ERR_UNKNOWN_NAME (*id untouched), or
 * RSCP_ERR_ARG (name or id NULL). */
RSCP_API int rscp_tag_lookup(const char *name, uint32_t *id);

/* Expected type code of a tag, or -1 when unknown. */
RSCP_API int rscp_tag_type(uint32_t id);

/* Bit 23: true for response tags. */
RSCP_API bool rscp_tag_is_response(uint32_t id);

/* true when values of this tag must be masked in dumps and logs. */
RSCP_API bool rscp_tag_is_secret(uint32_t id);

/* Namespace name for the top byte of a tag ("EMS" for 0x01), or NULL. */
RSCP_API const char *rscp_namespace_name(uint8_t ns);

/* Namespace byte for a name ("EMS", case-insensitive): 0 with *ns set,
 * RSCP_ERR_UNKNOWN_NAME, or RSCP_ERR_ARG (name or ns NULL). */
RSCP_API int rscp_namespace_lookup(const char *name, uint8_t *ns);

/* Name of a device error code carried by ERROR blocks ("UNKNOWN_TAG"), or NULL. */
RSCP_API const char *rscp_device_error_name(uint32_t code);

/* Name of an authentication level ("USER" for 10), or NULL. */
RSCP_API const char *rscp_auth_level_name(int level);

/* Number of entries and the i-th entry in ascending id order (i < count,
 * else NULL), for listing and searching. */
RSCP_API size_t rscp_tag_count(void);
RSCP_API const struct rscp_tag_info *rscp_tag_at(size_t i);

RSCP_END_DECLS

#endif
