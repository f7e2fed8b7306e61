/* rscp tags: search the tag dictionary. */
#include "cli.h"

#include "rscp/tags.h"
#include "rscp/types.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_optdef tags_opts[] = {
    CLI_OPT_HELP,
    CLI_OPT_JSON,
    CLI_OPT_END,
};

static void help(void)
{
    fputs("Usage: rscp tags [--json] [PATTERN]\n"
          "\n"
          "List the tags of the dictionary: id, name, value type. PATTERN matches\n"
          "names case-insensitively: as a substring (\"power_pv\"), or as a glob when\n"
          "it holds * ? or [ (\"EMS.REQ_*\"). A number (\"0x01800001\") matches the id.\n"
          "\n"
          "Options:\n"
          "  -j, --json   JSON array of {\"id\", \"name\", \"type\", \"secret\"}\n"
          "  -h, --help   this help\n"
          "\n"
          "Exit status: 0 at least one match; 1 no match (said on stderr); 2 usage.\n",
          stdout);
}

static void upper(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[i] = '\0';
}

int cli_cmd_tags(int argc, char **argv)
{
    struct cli_opts o;
    cli_opts_init(&o, "tags", argc, argv);
    const char *pattern = NULL;
    bool json = false;
    int id;
    while ((id = cli_opts_next(&o, tags_opts)) != -1) {
        switch (id) {
        case CLI_OPT_BAD: return CLI_EXIT_USAGE;
        case OPT_HELP: help(); return CLI_EXIT_OK;
        case OPT_JSON: json = true; break;
        case 0:
            if (pattern)
                return cli_usage_error("tags", "only one PATTERN");
            pattern = o.arg;
            break;
        default: break;
        }
    }
    char pat[256] = "";
    if (pattern) {
        if (strlen(pattern) >= sizeof pat)
            return cli_usage_error("tags", "PATTERN too long (at most %zu characters)", sizeof pat - 1);
        upper(pat, pattern, sizeof pat);
    }
    bool glob = strpbrk(pat, "*?[") != NULL;
    uint32_t want_id = 0;
    bool by_id = pattern && (pattern[0] >= '0' && pattern[0] <= '9') && rscp_tag_lookup(pattern, &want_id) == 0;

    size_t matches = 0, n = rscp_tag_count();
    if (json)
        fputc('[', stdout);
    for (size_t i = 0; i < n; i++) {
        const struct rscp_tag_info *t = rscp_tag_at(i);
        if (!t)
            continue;
        if (pattern) {
            char name[160];
            upper(name, t->name, sizeof name);
            bool ok = by_id ? t->id == want_id : glob ? fnmatch(pat, name, 0) == 0 : strstr(name, pat) != NULL;
            if (!ok)
                continue;
        }
        const char *type = t->type >= 0 ? rscp_type_name(t->type) : NULL;
        if (json) {
            printf("%s\n{\"id\":\"0x%08X\",\"name\":", matches ? "," : "", t->id);
            cli_json_string(stdout, t->name, strlen(t->name));
            if (type)
                printf(",\"type\":\"%s\"", type);
            else
                fputs(",\"type\":null", stdout);
            printf(",\"secret\":%s}", t->secret ? "true" : "false");
        } else {
            printf("0x%08X  %-52s %s%s\n", t->id, t->name, type ? type : "-", t->secret ? "  (secret)" : "");
        }
        matches++;
    }
    if (json)
        fputs(matches ? "\n]\n" : "]\n", stdout);
    if (!matches) {
        /* The pattern as given, made printable. */
        char shown[4 * sizeof pat];
        cli_printable(pattern ? pattern : "", pattern ? strlen(pattern) : 0, shown, sizeof shown);
        cli_error("no tag matches '%s' (a substring, a glob with * ? [, or an id)", shown);
    }
    return matches ? CLI_EXIT_OK : CLI_EXIT_DEVICE;
}
