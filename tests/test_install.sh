#!/usr/bin/env bash
# The install target as a user sees it: `cmake --install` into a scratch
# prefix; the SONAME; the headers, each compiling on its own (C11, pedantic,
# and as C++ when a C++ compiler is there); librscp.pc with the right prefix
# and version; a small program built through pkg-config against the shared
# and against the static library, run, and checked to use the one it was
# linked with; the CMake package (librscpConfig.cmake, its version file, the
# imported targets rscp::rscp and rscp::rscp_static) used by a consumer
# project.
#   usage: test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2

fail() { echo "FAIL: $*" >&2; exit 1; }

cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
cc=$(cache CMAKE_C_COMPILER)
cc=${cc:-cc}
flags=()
if [ "$(cache RSCP_SANITIZE)" = "ON" ]; then
    flags+=(-fsanitize=address,undefined -fno-sanitize-recover=all)
fi

command -v pkg-config >/dev/null || fail "pkg-config not found"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

# ---- the bridge: program, man page, systemd units
if [ -x "$build/rscp-bridge" ]; then
    [ -x "$prefix/bin/rscp-bridge" ] || fail "rscp-bridge not installed"
    [ -f "$prefix/share/man/man1/rscp-bridge.1" ] || fail "rscp-bridge(1) not installed"
    [ -f "$prefix/lib/systemd/system/rscp-bridge.service" ] || fail "rscp-bridge.service not installed"
    [ -f "$prefix/lib/systemd/system/rscp-bridge@.service" ] || fail "rscp-bridge@.service not installed"
fi

# ---- files and SONAME
version=$(sed -n 's/^#define RSCP_VERSION_STRING "\(.*\)"/\1/p' "$src/include/rscp/version.h")
major=${version%%.*}
pc=$(find "$prefix" -name librscp.pc)
[ -n "$pc" ] || fail "librscp.pc not installed"
libdir=$(dirname "$(dirname "$pc")")
[ -f "$libdir/librscp.a" ] || fail "librscp.a not in $libdir"
[ -f "$libdir/librscp.so.$version" ] || fail "librscp.so.$version not in $libdir"
[ "$(readlink "$libdir/librscp.so")" = "librscp.so.$major" ] || fail "librscp.so does not link to librscp.so.$major"
soname=$(readelf -d "$libdir/librscp.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = "librscp.so.$major" ] || fail "SONAME is '$soname', want librscp.so.$major"
for h in "$src"/include/rscp/*.h; do
    [ -f "$prefix/include/rscp/$(basename "$h")" ] || fail "header $(basename "$h") not installed"
done

# ---- pkg-config
export PKG_CONFIG_PATH=$(dirname "$pc")
[ "$(pkg-config --modversion librscp)" = "$version" ] || fail "pkg-config version is not $version"
[ "$(pkg-config --variable=prefix librscp)" = "$prefix" ] || fail "librscp.pc prefix is not $prefix"
read -r -a cflags <<<"$(pkg-config --cflags librscp)"
read -r -a libs <<<"$(pkg-config --libs librscp)"

# ---- every header on its own
for h in "$prefix"/include/rscp/*.h; do
    name=rscp/$(basename "$h")
    printf '#include <%s>\nint rscp_header_check(void);\nint rscp_header_check(void) { return 0; }\n' "$name" >"$tmp/h.c"
    "$cc" -std=c11 -pedantic -Wall -Wextra -Wconversion -Wsign-conversion -Wshadow -Wstrict-prototypes -Werror \
        "${cflags[@]}" -c "$tmp/h.c" -o "$tmp/h.o" || fail "$name does not compile on its own"
    if command -v c++ >/dev/null; then
        cp "$tmp/h.c" "$tmp/h.cpp"
        c++ -std=c++11 -Wall -Wextra -Werror "${cflags[@]}" -c "$tmp/h.cpp" -o "$tmp/hpp.o" ||
            fail "$name does not compile as C++"
    fi
done

# ---- a user program
cat >"$tmp/prog.c" <<'EOF'
#include <rscp/rscp.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    if (strcmp(rscp_version(), RSCP_VERSION_STRING) != 0 || rscp_version_number() != RSCP_VERSION_NUMBER)
        return 1;
    /* P2 of vectors-public.md */
    static const unsigned char want[] = {
        0xe3, 0xdc, 0x00, 0x11, 0x7b, 0xb0, 0x0a, 0x65, 0x00, 0x00, 0x00, 0x00, 0x88, 0x5e, 0x2c,
        0x01, 0x16, 0x00, 0x01, 0x00, 0x80, 0x01, 0x06, 0x04, 0x00, 0x4f, 0x12, 0x00, 0x00, 0x02,
        0x00, 0x80, 0x01, 0x06, 0x04, 0x00, 0x5b, 0x08, 0x00, 0x00, 0x58, 0x15, 0x6e, 0x18};
    unsigned char buf[64];
    struct rscp_builder b;
    struct rscp_timestamp ts = {1695199355, 19685000};
    size_t n = 0;
    rscp_builder_begin_frame(&b, buf, sizeof buf, &ts, true);
    rscp_put_int32(&b, 0x01800001, 4687);
    rscp_put_int32(&b, 0x01800002, 2139);
    if (rscp_builder_finish(&b, &n) != 0 || n != sizeof want || memcmp(buf, want, n) != 0)
        return 2;
    struct rscp_frame f;
    struct rscp_block blk;
    int32_t v = 0;
    uint32_t id = 0;
    if (rscp_frame_decode(buf, n, NULL, &f, NULL) != 0 || rscp_tag_lookup("EMS.POWER_PV", &id) != 0 ||
        rscp_find(f.data, f.data_len, id, &blk) != 0 || rscp_block_get_int32(&blk, &v) != 0 || v != 4687)
        return 3;
    /* known answer 1 of the cipher: key, IV and plaintext all zero */
    static const unsigned char kat[] = {0xc6, 0x22, 0x7e, 0x77, 0x40, 0xb7, 0xe5, 0x3b};
    unsigned char key[32] = {0}, block[32] = {0};
    rscp_cipher *c = NULL;
    if (rscp_cipher_new(&c, key, RSCP_CIPHER_AUTO) != 0)
        return 4;
    rscp_cipher_encrypt_block(c, block, block);
    rscp_cipher_free(c);
    if (memcmp(block, kat, sizeof kat) != 0)
        return 5;
    puts(rscp_version());
    return 0;
}
EOF

"$cc" -std=c11 "${flags[@]}" "${cflags[@]}" "$tmp/prog.c" -o "$tmp/prog_shared" "${libs[@]}" -Wl,-rpath,"$libdir"
out=$("$tmp/prog_shared") || fail "program linked with the shared library failed ($?)"
[ "$out" = "$version" ] || fail "shared program printed '$out'"
ldd "$tmp/prog_shared" | grep "librscp.so.$major => $libdir/" >/dev/null || fail "shared program does not load $libdir/librscp.so.$major"

read -r -a libs_static <<<"$(pkg-config --static --libs librscp)"
"$cc" -std=c11 "${flags[@]}" "${cflags[@]}" "$tmp/prog.c" -o "$tmp/prog_static" \
    -Wl,-Bstatic "${libs_static[@]}" -Wl,-Bdynamic
out=$("$tmp/prog_static") || fail "program linked with the static library failed ($?)"
[ "$out" = "$version" ] || fail "static program printed '$out'"
if ldd "$tmp/prog_static" | grep librscp >/dev/null; then fail "static program loads librscp.so"; fi
nm "$tmp/prog_static" | grep ' T rscp_version$' >/dev/null || fail "static program does not contain rscp_version"

# ---- the CMake package: a consumer project with find_package(librscp CONFIG)
cmakedir=$(dirname "$(find "$prefix" -name librscpConfig.cmake)")
[ -f "$cmakedir/librscpConfigVersion.cmake" ] || fail "librscpConfigVersion.cmake not installed"
mkdir -p "$tmp/consumer"
cp "$tmp/prog.c" "$tmp/consumer/prog.c"
cat >"$tmp/consumer/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.20)
project(rscp_consumer C)
find_package(librscp $version CONFIG REQUIRED)
if(NOT librscp_VERSION STREQUAL "$version")
  message(FATAL_ERROR "librscp_VERSION is '\${librscp_VERSION}'")
endif()
add_executable(prog_shared prog.c)
target_link_libraries(prog_shared PRIVATE rscp::rscp)
add_executable(prog_static prog.c)
target_link_libraries(prog_static PRIVATE rscp::rscp_static)
EOF
sanflags="${flags[*]:-}"
cmake -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="$sanflags" -DCMAKE_EXE_LINKER_FLAGS="$sanflags" >"$tmp/cmake.log" 2>&1 ||
    { cat "$tmp/cmake.log" >&2; fail "find_package(librscp $version CONFIG) failed"; }
cmake --build "$tmp/consumer/build" >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log" >&2; fail "the CMake consumer does not build"; }
out=$("$tmp/consumer/build/prog_shared") || fail "CMake consumer with rscp::rscp failed ($?)"
[ "$out" = "$version" ] || fail "CMake consumer with rscp::rscp printed '$out'"
ldd "$tmp/consumer/build/prog_shared" | grep "librscp.so.$major => $libdir/" >/dev/null ||
    fail "rscp::rscp does not load $libdir/librscp.so.$major"
out=$("$tmp/consumer/build/prog_static") || fail "CMake consumer with rscp::rscp_static failed ($?)"
[ "$out" = "$version" ] || fail "CMake consumer with rscp::rscp_static printed '$out'"
if ldd "$tmp/consumer/build/prog_static" | grep librscp >/dev/null; then fail "rscp::rscp_static loads librscp.so"; fi
# A version with another major number is refused.
sed -i "s/find_package(librscp $version CONFIG REQUIRED)/find_package(librscp $((major + 1)).0 CONFIG REQUIRED)/" "$tmp/consumer/CMakeLists.txt"
if cmake -S "$tmp/consumer" -B "$tmp/consumer/build2" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake.log" 2>&1; then
    fail "find_package(librscp $((major + 1)).0) accepted version $version"
fi

echo "install, SONAME $soname, librscp.pc $version, CMake package, headers, shared and static programs: ok"
