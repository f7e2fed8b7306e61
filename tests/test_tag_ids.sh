#!/usr/bin/env bash
# include/rscp/tag_ids.h against the library's dictionary: for every
# constant, a program compiled from the header checks that the dictionary
# names the constant's value as the comment says, that the name looks up to
# the value, that the expected type matches, and that the constant's name is
# RSCP_TAG_ + the upper-case underscore form of the tag's name. The header
# also compiles as C++ and under -pedantic with every warning as an error.
# Usage: bash test_tag_ids.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
cc=$(cache CMAKE_C_COMPILER)
cc=${cc:-cc}
flags=()
if [ "$(cache RSCP_SANITIZE)" = "ON" ]; then flags+=(-fsanitize=address,undefined -fno-sanitize-recover=all); fi
hdr="$src/include/rscp/tag_ids.h"
n=$(grep -c '^#define RSCP_TAG_.* 0x' "$hdr")
[ "$n" -gt 3000 ] || fail "only $n constants in $hdr"

{
    echo '#include <rscp/rscp.h>'
    echo '#include <stdio.h>'
    echo '#include <string.h>'
    echo 'struct entry { const char *macro; unsigned long id; const char *name; const char *type; };'
    echo 'static const struct entry entries[] = {'
    sed -n 's|^#define \(RSCP_TAG_[A-Za-z0-9_]*\) \(0x[0-9A-F]*u\) /\* \([A-Za-z0-9_.]*\), \(.*\) \*/$|    {"\1", \1, "\3", "\4"},|p' "$hdr"
    echo '};'
    cat <<'C'
int main(void)
{
    size_t bad = 0, n = sizeof entries / sizeof entries[0];
    for (size_t i = 0; i < n; i++) {
        const struct entry *e = &entries[i];
        uint32_t id = 0;
        const char *name = rscp_tag_name((uint32_t)e->id);
        int type = rscp_tag_type((uint32_t)e->id);
        const char *type_name = type >= 0 ? rscp_type_name(type) : "type unknown";
        char want[160] = "RSCP_TAG_";
        size_t k = strlen(want);
        for (const char *p = e->name; *p != '\0' && k + 1 < sizeof want; p++, k++)
            want[k] = *p == '.' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        want[k] = '\0';
        if (name == NULL || strcmp(name, e->name) != 0 || rscp_tag_lookup(e->name, &id) != 0 || id != e->id ||
            type_name == NULL || strcmp(type_name, e->type) != 0 || strcmp(want, e->macro) != 0) {
            fprintf(stderr, "%s = 0x%08lx (%s, %s): dictionary says %s, %s\n", e->macro, e->id, e->name, e->type,
                    name ? name : "(none)", type_name ? type_name : "(none)");
            bad++;
        }
    }
    if (n != rscp_tag_count()) {
        fprintf(stderr, "%zu constants, %zu tags in the dictionary\n", n, rscp_tag_count());
        bad++;
    }
    printf("%zu constants checked, %zu wrong\n", n, bad);
    return bad == 0 ? 0 : 1;
}
C
} >"$tmp/check.c"
[ "$(grep -c '^    {"RSCP_TAG_' "$tmp/check.c")" -eq "$n" ] || fail "a #define line of $hdr has an unexpected form"
"$cc" -std=c11 -pedantic -Wall -Wextra -Werror "${flags[@]}" -I"$src/include" "$tmp/check.c" -o "$tmp/check" \
    "$build/librscp.a" || fail "the check program does not compile"
"$tmp/check" || fail "tag_ids.h disagrees with the dictionary"
if command -v c++ >/dev/null; then
    printf '#include <rscp/tag_ids.h>\nstatic_assert(RSCP_TAG_EMS_POWER_PV == 0x01800001u, "");\nint main() { return 0; }\n' >"$tmp/h.cpp"
    c++ -std=c++11 -Wall -Wextra -Werror -I"$src/include" "$tmp/h.cpp" -o "$tmp/hpp" || fail "tag_ids.h does not compile as C++"
fi
echo "tag_ids.h: $n constants agree with the dictionary"
