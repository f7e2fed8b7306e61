#!/usr/bin/env bash
# The rscp tool offline: decode of the public vectors (vectors-public.md and
# vectors-peers.md), encode -> decode round trips with and without a key,
# streams in pieces, invalid input, usage errors, --help, secret masking.
# Usage: bash test_cli_offline.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
RSCP="$BUILD/rscp"
VECTORS="$SRC/tests/data"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
    local d=$1; shift
    if "$@"; then ok; else bad "$d"; fi
}
expect_rc() { # expect_rc RC DESCRIPTION COMMAND...
    local want=$1 d=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "$d: exit $rc, want $want"; cat "$TMP/err" >&2; fi
}
# Field checks on JSON with python3: jcheck JSONFILE PYTHON-EXPR (j = parsed document)
jcheck() {
    if python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; then ok
    else bad "json check: $2"; head -c 600 "$1" >&2; echo >&2; fi
}
# Hex of a vector: the first fenced line after its heading.
vec() { # vec FILE HEADING
    awk -v h="$2" 'index($0, h) == 1 {f = 1; next} f && /^```$/ {g = 1; next} f && g {print; exit}' "$1"
}

[ -x "$RSCP" ] || { echo "no $RSCP"; exit 1; }

P1=$(vec "$VECTORS/vectors-public.md" "## P1")
P2=$(vec "$VECTORS/vectors-public.md" "## P2")
P3=$(vec "$VECTORS/vectors-public.md" "## P3")
P4=$(vec "$VECTORS/vectors-public.md" "## P4")
P5=$(vec "$VECTORS/vectors-public.md" "## P5")
F4=$(vec "$VECTORS/vectors-peers.md" "### F4")
F2=$(vec "$VECTORS/vectors-peers.md" "### F2")
check "vectors found" test -n "$P1" -a -n "$P2" -a -n "$P3" -a -n "$P4" -a -n "$P5" -a -n "$F4"

# ---- help and usage ---------------------------------------------------------
expect_rc 0 "--help" "$RSCP" --help
check "--help on stdout lists commands" grep -q "history" "$TMP/out"
check "--help documents exit codes" grep -q "authentication" "$TMP/out"
for cmd in live info history get decode encode tags demo; do
    expect_rc 0 "$cmd --help" "$RSCP" "$cmd" --help
    check "$cmd --help prints usage" grep -q "Usage: rscp $cmd" "$TMP/out"
done
expect_rc 2 "no command" "$RSCP"
expect_rc 2 "unknown command" "$RSCP" frobnicate
check "unknown command message on stderr" grep -q "unknown command" "$TMP/err"
expect_rc 2 "unknown option" "$RSCP" decode --frobnicate "$P1"
expect_rc 2 "missing option value" "$RSCP" live --watch
expect_rc 2 "bad port" "$RSCP" live --port 70000
expect_rc 2 "bad watch" "$RSCP" live --watch -1
expect_rc 2 "history without range" "$RSCP" history
expect_rc 2 "history bad range" "$RSCP" history fortnight
expect_rc 2 "history bad date" "$RSCP" history day 2024-02-30
expect_rc 2 "get without tags" "$RSCP" get
expect_rc 2 "get unknown tag" env RSCP_HOST=127.0.0.1 "$RSCP" get NOPE.NOTHING
expect_rc 2 "get bad value" env RSCP_HOST=127.0.0.1 "$RSCP" get 'BAT.REQ_DATA{BAT.INDEX=70000}'
expect_rc 2 "get unbalanced braces" env RSCP_HOST=127.0.0.1 "$RSCP" get 'BAT.REQ_DATA{BAT.INDEX=0'
expect_rc 2 "live without host" env -u RSCP_HOST HOME="$TMP" "$RSCP" live

# ---- decode of the public vectors --------------------------------------------
expect_rc 0 "decode P1" "$RSCP" decode "$P1"
check "P1 names EMS.REQ_POWER_PV" grep -q "EMS.REQ_POWER_PV" "$TMP/out"
check "P1 names EMS.REQ_POWER_BAT" grep -q "EMS.REQ_POWER_BAT" "$TMP/out"

"$RSCP" decode --json "$P2" >"$TMP/p2.json"
jcheck "$TMP/p2.json" 'len(j) == 1 and j[0]["seconds"] == 1695199355 and j[0]["nanoseconds"] == 19685000 and j[0]["crc"] is True'
jcheck "$TMP/p2.json" '[(b["tag"], b["name"], b["type"], b["value"]) for b in j[0]["blocks"]] == [("0x01800001", "EMS.POWER_PV", "INT32", 4687), ("0x01800002", "EMS.POWER_BAT", "INT32", 2139)]'

"$RSCP" decode --json "$P3" >"$TMP/p3.json"
jcheck "$TMP/p3.json" 'j[0]["blocks"][0]["name"] == "RSCP.REQ_AUTHENTICATION" and j[0]["blocks"][0]["type"] == "CONTAINER"'
jcheck "$TMP/p3.json" 'j[0]["blocks"][0]["value"][0]["value"] == "TEST"'
# secrets masked unless asked for
jcheck "$TMP/p3.json" 'j[0]["blocks"][0]["value"][1]["value"] != "123"'
check "P3 password not in text dump" bash -c "! '$RSCP' decode '$P3' | grep -q '\"123\"'"
"$RSCP" decode --json --show-secrets "$P3" >"$TMP/p3s.json"
jcheck "$TMP/p3s.json" 'j[0]["blocks"][0]["value"][1]["value"] == "123"'
# a masked dump does not encode back into a frame carrying "***" as the password
"$RSCP" decode --json "$P3" >"$TMP/p3m.json"
expect_rc 6 "encoding a masked secret is refused" "$RSCP" encode "$TMP/p3m.json"
check "masked-secret error says how to keep it" grep -q "show-secrets" "$TMP/err"
check "masked-secret refusal prints no frame" test ! -s "$TMP/out"

"$RSCP" decode --json "$P4" "$P5" >"$TMP/p45.json"
jcheck "$TMP/p45.json" 'len(j) == 2 and j[0]["blocks"][0]["type"] == "UCHAR8" and j[0]["blocks"][0]["value"] == 10'
jcheck "$TMP/p45.json" 'j[1]["blocks"][0]["type"] == "INT32" and j[1]["blocks"][0]["value"] == 0'

"$RSCP" decode --json "$F4" >"$TMP/f4.json"
jcheck "$TMP/f4.json" '[b["value"] for b in j[0]["blocks"]] == [True, 100, "Extreme powerful battery"]'
"$RSCP" decode --json "$F2" >"$TMP/f2.json"
jcheck "$TMP/f2.json" 'j[0]["crc"] is False and j[0]["seconds"] == -23215049511'

# hex with separators and from stdin
SPACED=$(echo "$P2" | sed 's/../& /g')
expect_rc 0 "decode spaced hex" "$RSCP" decode "$SPACED"
COLON=$(echo "$P2" | sed 's/../&:/g; s/:$//')
expect_rc 0 "decode colon hex" "$RSCP" decode "$COLON"
echo "$P1$P2" | "$RSCP" decode --json - >"$TMP/stdin.json"
jcheck "$TMP/stdin.json" 'len(j) == 2 and j[1]["blocks"][0]["value"] == 4687'
# binary input
python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))" "$P1$P2" >"$TMP/cap.bin"
"$RSCP" decode --json --binary "$TMP/cap.bin" >"$TMP/bin.json"
jcheck "$TMP/bin.json" 'len(j) == 2'

# a stream in pieces: cut the concatenation P1 P2 P4 at odd places
ALL="$P1$P2$P4"
A=${ALL:0:7}; B=${ALL:7:50}; C=${ALL:57:33}; D=${ALL:90}
"$RSCP" decode --json "${A}" "${B}" "${C}" "${D}" >"$TMP/pieces.json" 2>"$TMP/err"
check "pieces: odd split inside a byte is an error" test $? -eq 6
A=${ALL:0:8}; B=${ALL:8:50}; C=${ALL:58:34}; D=${ALL:92}
"$RSCP" decode --json "$A" "$B" "$C" "$D" >"$TMP/pieces.json"
jcheck "$TMP/pieces.json" 'len(j) == 3 and j[1]["blocks"][1]["value"] == 2139 and j[2]["blocks"][0]["value"] == 10'

# ---- invalid input: exit 6 and the byte offset -------------------------------
BADCRC="${P2:0:${#P2}-2}00"
expect_rc 6 "bad CRC" "$RSCP" decode "$BADCRC"
check "bad CRC names the offset" grep -q "byte offset 0" "$TMP/err"
check "bad CRC says CRC" grep -qi "crc" "$TMP/err"
expect_rc 6 "second frame bad" "$RSCP" decode "$P1$BADCRC"
check "second frame offset" grep -q "byte offset 36" "$TMP/err"
expect_rc 6 "truncated" "$RSCP" decode "${P2:0:40}"
check "truncated names the offset" grep -q "byte offset 0" "$TMP/err"
expect_rc 6 "bad magic" "$RSCP" decode "ffff${P2:4}"
expect_rc 6 "bad hex" "$RSCP" decode "e3dc0g"
check "bad hex names the offset" grep -q "offset 5" "$TMP/err"
expect_rc 6 "odd hex digits" "$RSCP" decode "e3d"
expect_rc 6 "empty input" "$RSCP" decode ""
expect_rc 6 "00 10 control word rejected" "$RSCP" decode e3dc00102b6adf64000000000000000008000100860301010001
expect_rc 0 "00 10 accepted with --lenient" "$RSCP" decode --lenient e3dc00102b6adf64000000000000000008000100860301010001

# ---- encode -> decode round trips --------------------------------------------
for v in "$P1" "$P2" "$P3" "$P4" "$P5" "$F4" "$F2"; do
    out=$("$RSCP" decode --json --show-secrets "$v" | "$RSCP" encode)
    check "round trip of $v" test "$out" = "$v"
done
# several frames in one go, encrypted and back
"$RSCP" decode --json --show-secrets "$P1" "$P2" "$P3" "$F4" >"$TMP/multi.json"
RSCP_KEY=testkey "$RSCP" encode --encrypted "$TMP/multi.json" >"$TMP/multi.enc"
check "encrypted output is whole blocks" python3 -c "import sys; h=open(sys.argv[1]).read().strip(); sys.exit(0 if len(h) % 64 == 0 and len(h) >= 4*64 else 1)" "$TMP/multi.enc"
check "encrypted output differs from plaintext" bash -c "! grep -q '${P2:0:36}' '$TMP/multi.enc'"
RSCP_KEY=testkey "$RSCP" decode --encrypted --json --show-secrets - <"$TMP/multi.enc" >"$TMP/multi2.json"
check "encrypted round trip keeps every frame" python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)" "$TMP/multi.json" "$TMP/multi2.json"
# the encrypted stream fed in pieces of 5 bytes (10 hex digits)
ENC=$(cat "$TMP/multi.enc")
PIECES=$(echo "$ENC" | fold -w 10 | tr '\n' ' ')
# shellcheck disable=SC2086
RSCP_KEY=testkey "$RSCP" decode -e --json --show-secrets $PIECES >"$TMP/multi3.json"
check "encrypted stream in 5-byte pieces" python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)" "$TMP/multi.json" "$TMP/multi3.json"
# wrong key: clean error, exit 6
RSCP_KEY=wrongkey "$RSCP" decode -e - <"$TMP/multi.enc" >/dev/null 2>"$TMP/err"
check "wrong key exits 6" test $? -eq 6
check "wrong key message" grep -q "offset" "$TMP/err"

# Encryption against the peer vector (GO writer_test: key "testkey", frame F1).
F1=$(vec "$VECTORS/vectors-peers.md" "### F1")
GOENC=a52858a12680c2b712bbc9cb8ce0f0406f01f5d10ca06e9bda41fb46b311c226
out=$("$RSCP" decode --json "$F1" | "$RSCP" encode --key testkey 2>/dev/null)
check "encode --key matches the go-rscp ciphertext" test "$out" = "$GOENC"
"$RSCP" decode --key testkey --json "$GOENC" >"$TMP/go.json" 2>/dev/null
jcheck "$TMP/go.json" 'j[0]["blocks"][0]["name"] == "RSCP.AUTHENTICATION" and j[0]["blocks"][0]["value"] == 10'

# ---- encode input forms and errors -------------------------------------------
echo '{"seconds": 5, "blocks": [{"name": "EMS.REQ_POWER_PV"}, {"name": "BAT.REQ_DATA", "value": [{"name": "BAT.INDEX", "value": 0}, {"name": "BAT.REQ_RSOC"}]}, {"tag": 16777217, "type": "NONE"}, {"tag": "0x01800001", "type": "INT64", "value": -9223372036854775808}, {"tag": "0x01800001", "type": "UINT64", "value": 18446744073709551615}, {"tag": "INFO.TIME", "value": {"seconds": -5, "nanoseconds": 7}}]}' >"$TMP/forms.json"
"$RSCP" encode "$TMP/forms.json" >"$TMP/forms.hex"
"$RSCP" decode --json - <"$TMP/forms.hex" >"$TMP/forms.out"
jcheck "$TMP/forms.out" 'j[0]["seconds"] == 5 and j[0]["nanoseconds"] == 0 and j[0]["blocks"][0]["tag"] == "0x01000001" and j[0]["blocks"][0]["type"] == "NONE"'
jcheck "$TMP/forms.out" 'j[0]["blocks"][1]["type"] == "CONTAINER" and j[0]["blocks"][1]["value"][0]["type"] == "UINT16"'
jcheck "$TMP/forms.out" 'j[0]["blocks"][3]["value"] == -9223372036854775808 and j[0]["blocks"][4]["value"] == 18446744073709551615'
jcheck "$TMP/forms.out" 'j[0]["blocks"][5]["value"] == {"seconds": -5, "nanoseconds": 7}'
# independent check of the bytes: rebuild the first block by hand
check "encoded bytes: header and first block" python3 -c "
import sys, zlib
b = bytes.fromhex(open(sys.argv[1]).read().strip())
assert b[:4] == bytes.fromhex('e3dc0011'), b[:4]
assert int.from_bytes(b[4:12], 'little') == 5
n = int.from_bytes(b[16:18], 'little')
assert len(b) == 18 + n + 4
assert int.from_bytes(b[18+n:], 'little') == zlib.crc32(b[:18+n])
assert b[18:25] == bytes.fromhex('01000001000000')
" "$TMP/forms.hex"

echo '{"blocks": [{"tag": "EMS.POWER_PV", "value": 1.5}]}' >"$TMP/e1.json"
expect_rc 6 "encode: float for INT32" "$RSCP" encode "$TMP/e1.json"
check "encode error has line and column" grep -q "line 1, column" "$TMP/err"
printf '{"blocks": [\n  {"tag": "EMS.POWER_PV", "value": 1,}\n]}' >"$TMP/e2.json"
expect_rc 6 "encode: trailing comma" "$RSCP" encode "$TMP/e2.json"
check "JSON syntax error at line 2" grep -q "line 2, column" "$TMP/err"
echo '{"blocks": [{"tag": "EMS.POWER_PV", "type": "UINT16", "value": 65536}]}' >"$TMP/e3.json"
expect_rc 6 "encode: out of range" "$RSCP" encode "$TMP/e3.json"
echo '{"blocks": [{"tag": "EMS.POWER_PV", "type": "INT64", "value": 9223372036854775808}]}' >"$TMP/e4.json"
expect_rc 6 "encode: INT64 overflow" "$RSCP" encode "$TMP/e4.json"
python3 -c "print('[' * 200 + ']' * 200)" >"$TMP/deep.json"
expect_rc 6 "encode: depth limit" "$RSCP" encode "$TMP/deep.json"
check "depth limit message" grep -q "nesting" "$TMP/err"
echo '{"blocks": [], "blocks": []}' >"$TMP/dup.json"
expect_rc 6 "encode: duplicate key" "$RSCP" encode "$TMP/dup.json"
printf '{"blocks": [{"tag": "INFO.SERIAL_NUMBER", "value": "\\ud800"}]}' >"$TMP/sur.json"
expect_rc 6 "encode: lone surrogate" "$RSCP" encode "$TMP/sur.json"
printf '{"blocks": [{"tag": "INFO.SERIAL_NUMBER", "value": "a\\u00e9\\ud83d\\ude00"}]}' >"$TMP/utf.json"
"$RSCP" encode "$TMP/utf.json" >"$TMP/utf.hex"
check "unicode escapes become UTF-8" grep -q "61c3a9f09f9880" "$TMP/utf.hex"

# ---- secrets ------------------------------------------------------------------
"$RSCP" decode --key mysecretkey "$P1" >/dev/null 2>"$TMP/err"
check "--key on the command line warns" grep -qi "warning" "$TMP/err"
check "the key is not echoed" bash -c "! grep -q mysecretkey '$TMP/err'"
RSCP_HOST=127.0.0.1 RSCP_PORT=1 RSCP_USER=u HOME="$TMP" "$RSCP" live --password hunter2pw --key k3yk3y --timeout 500 >"$TMP/out" 2>"$TMP/err"
rc=$?
check "connection refused exits 3 (got $rc)" test $rc -eq 3
check "--password warns" grep -q "password" "$TMP/err"
check "password never printed" bash -c "! grep -q hunter2pw '$TMP/out' '$TMP/err'"
check "key never printed" bash -c "! grep -q k3yk3y '$TMP/out' '$TMP/err'"
# config file: permissions warning, values used
mkdir -p "$TMP/.config/rscp"
printf 'host = 127.0.0.1\nport = 1\nuser = u\npassword = s3cretpw\nkey = s3cretkey\n' >"$TMP/.config/rscp/config"
chmod 644 "$TMP/.config/rscp/config"
env -u RSCP_HOST -u RSCP_PORT -u RSCP_USER -u RSCP_PASSWORD -u RSCP_KEY HOME="$TMP" XDG_CONFIG_HOME= \
    "$RSCP" info --timeout 500 >"$TMP/out" 2>"$TMP/err"
rc=$?
check "config file used (connection refused on port 1, got $rc)" test $rc -eq 3
check "config file permissions warning" grep -q "group/others" "$TMP/err"
check "config secrets never printed" bash -c "! grep -q s3cret '$TMP/out' '$TMP/err'"
chmod 600 "$TMP/.config/rscp/config"
env -u RSCP_HOST HOME="$TMP" XDG_CONFIG_HOME= "$RSCP" info --timeout 500 >/dev/null 2>"$TMP/err"
check "no warning with mode 600" bash -c "! grep -q 'group/others' '$TMP/err'"

# a secret given in a request is never echoed, wherever the error is
expect_rc 2 "secret value of the wrong type" env RSCP_HOST=127.0.0.1 "$RSCP" get 'RSCP.AUTHENTICATION_PASSWORD:UINT32=SECRETPW123'
check "secret not echoed (bad value)" bash -c "! grep -q SECRETPW '$TMP/err'"
check "the spec is quoted with the secret masked" grep -q "RSCP.AUTHENTICATION_PASSWORD:UINT32=\*\*\*'" "$TMP/err"
expect_rc 2 "error after a secret" env RSCP_HOST=127.0.0.1 "$RSCP" get 'RSCP.REQ_AUTHENTICATION{RSCP.AUTHENTICATION_USER=u,RSCP.AUTHENTICATION_PASSWORD=SECRETPW123},NOPE'
check "secret not echoed (later error)" bash -c "! grep -q SECRETPW '$TMP/err'"
check "the later error still named" grep -q "unknown tag 'NOPE'" "$TMP/err"
expect_rc 2 "unterminated secret" env RSCP_HOST=127.0.0.1 "$RSCP" get 'RSCP.AUTHENTICATION_PASSWORD="SECRETPW123'
check "secret not echoed (unterminated)" bash -c "! grep -q SECRETPW '$TMP/err'"
echo '[["RSCP.AUTHENTICATION_PASSWORD", "Uint32", "SECRETPW123"], {"tag": "RSCP.AUTHENTICATION_PASSWORD", "type": "BYTEARRAY", "value": "zzSECRETPW"}]' >"$TMP/sec.json"
expect_rc 6 "secret in a JSON request" env RSCP_HOST=127.0.0.1 "$RSCP" get --json-request "$TMP/sec.json"
check "secret not echoed (JSON request)" bash -c "! grep -q SECRETPW '$TMP/err'"
echo '{"blocks": [{"tag": "RSCP.AUTHENTICATION_PASSWORD", "type": "BYTEARRAY", "value": "zzSECRETPW"}]}' >"$TMP/sec2.json"
expect_rc 6 "secret in encode input" "$RSCP" encode "$TMP/sec2.json"
check "secret not echoed (encode)" bash -c "! grep -q SECRETPW '$TMP/err'"
# bytes that are no valid UTF-8 are escaped in messages
expect_rc 2 "invalid UTF-8 in a tag name" env RSCP_HOST=127.0.0.1 "$RSCP" get $'EMS.\xff\xfeX'
check "invalid UTF-8 escaped" bash -c "grep -q 'EMS.\\\\xff\\\\xfeX' '$TMP/err' && ! grep -q $'\xff' '$TMP/err'"
check "names the byte" grep -q "byte 0xff is not allowed in a tag name" "$TMP/err"
printf '[["EMS_\\u0001X"], {"tag": 1, "k\\u0002": 0}]' >"$TMP/ctl.json"
expect_rc 6 "control character in a JSON tag name" env RSCP_HOST=127.0.0.1 "$RSCP" get --json-request "$TMP/ctl.json"
check "control character escaped" bash -c "grep -q 'unknown tag \"EMS_\\\\x01X\"' '$TMP/err' && ! grep -q $'\x01' '$TMP/err'"
printf '{"blocks": [{"tag": 1, "k\\u0002": 0}]}' >"$TMP/ctl2.json"
expect_rc 6 "control character in a JSON key" "$RSCP" encode "$TMP/ctl2.json"
check "key escaped" bash -c "grep -q 'unknown key \"k\\\\x02\"' '$TMP/err' && ! grep -q $'\x02' '$TMP/err'"

# values: every type range-checked, reasons named
expect_rc 2 "FLOAT32 overflow" env RSCP_HOST=127.0.0.1 "$RSCP" get 'EMS.REQ_POWER_PV:FLOAT32=1e40'
check "FLOAT32 overflow: reason" grep -q "out of range for a FLOAT32" "$TMP/err"
expect_rc 2 "FLOAT32 underflow" env RSCP_HOST=127.0.0.1 "$RSCP" get 'EMS.REQ_POWER_PV:FLOAT32=1e-50'
check "FLOAT32 underflow: reason" grep -q "too small for a FLOAT32" "$TMP/err"
for v in nan inf -inf infinity 0x1p3; do
    expect_rc 2 "no $v as a number" env RSCP_HOST=127.0.0.1 "$RSCP" get "EMS.REQ_POWER_PV:DOUBLE64=$v"
done
check "not a decimal number" grep -q "not a decimal number" "$TMP/err"
echo '{"blocks": [{"tag": "EMS.POWER_PV", "type": "FLOAT32", "value": 1e40}]}' >"$TMP/f40.json"
expect_rc 6 "encode: FLOAT32 overflow" "$RSCP" encode "$TMP/f40.json"
check "encode FLOAT32 overflow: reason" grep -q "out of range for a FLOAT32" "$TMP/err"
echo '{"blocks": [{"tag": "EMS.POWER_PV", "type": "FLOAT32", "value": 1e-50}]}' >"$TMP/f50.json"
expect_rc 6 "encode: FLOAT32 underflow" "$RSCP" encode "$TMP/f50.json"
echo '{"blocks": [{"tag": "EMS.POWER_PV", "type": "FLOAT32", "value": 3.4028235e38}, {"tag": "EMS.POWER_PV", "type": "FLOAT32", "value": 1e-45}]}' >"$TMP/fmax.json"
expect_rc 0 "encode: FLOAT32 limits accepted" "$RSCP" encode "$TMP/fmax.json"
expect_rc 2 "TIMESTAMP fraction too long" env RSCP_HOST=127.0.0.1 "$RSCP" get 'INFO.TIME=1.9999999999'
check "TIMESTAMP: the value as given and why" grep -q "bad TIMESTAMP value '1.9999999999': the fraction has more than 9 digits" "$TMP/err"
# invalid JSON requests are invalid input (6), as for encode
echo '{' >"$TMP/bad.json"
expect_rc 6 "get --json-request: invalid JSON" env RSCP_HOST=127.0.0.1 "$RSCP" get --json-request "$TMP/bad.json"
echo '[{"tag": "NOPE.NOTHING"}]' >"$TMP/bad2.json"
expect_rc 6 "get --json-request: unknown tag" env RSCP_HOST=127.0.0.1 "$RSCP" get --json-request "$TMP/bad2.json"
echo '[["EMS_REQ_POWER_PV", "Int32", 1, 2]]' >"$TMP/bad3.json"
expect_rc 6 "get --json-request: a tuple of four" env RSCP_HOST=127.0.0.1 "$RSCP" get --json-request "$TMP/bad3.json"
check "tuple error names the forms" grep -q "\[TAG, TYPE, VALUE\]" "$TMP/err"
# the tuple form builds the same frame as the block form
echo '[["EMS_REQ_START_MANUAL_CHARGE", 3000], "INFO_REQ_MAC_ADDRESS", ["INFO.REQ_UTC_TIME"], ["BAT_REQ_DATA", [["BAT_INDEX", "Uint16", 0], ["BAT_REQ_RSOC"]]], ["INFO_REQ_SERIAL_NUMBER", "None", ""]]' >"$TMP/t.json"
echo '{"seconds": 1, "blocks": [{"tag": "EMS.REQ_START_MANUAL_CHARGE", "value": 3000}, {"tag": "INFO.REQ_MAC_ADDRESS"}, {"tag": "INFO.REQ_UTC_TIME"}, {"tag": "BAT.REQ_DATA", "value": [{"tag": "BAT.INDEX", "type": "UINT16", "value": 0}, {"tag": "BAT.REQ_RSOC"}]}, {"tag": "INFO.REQ_SERIAL_NUMBER"}]}' >"$TMP/b.json"
python3 -c "import json,sys; print(json.dumps({'seconds': 1, 'blocks': json.load(open(sys.argv[1]))}))" "$TMP/t.json" >"$TMP/tf.json"
check "tuple form = block form" test "$("$RSCP" encode "$TMP/tf.json")" = "$("$RSCP" encode "$TMP/b.json")"

# input on stdin: a NUL byte is an error, not the end; memory stays bounded
printf '%s\0%s' "$P2" "$P2" | "$RSCP" decode --json - >"$TMP/nul.json" 2>"$TMP/err"
check "NUL in hex on stdin: exit 6" test $? -eq 6
check "NUL in hex: named with its offset" grep -q "invalid byte 0x00 at character offset ${#P2}" "$TMP/err"
jcheck "$TMP/nul.json" 'len(j) == 1'
check "200 MB of zeros: error at once, bounded memory" python3 - "$RSCP" <<'PY'
import resource, subprocess, sys
for args, want in ((["decode", "-"], b"invalid"), (["decode", "--binary", "-"], b"byte offset 0"), (["encode"], b"limit of JSON input")):
    p = subprocess.Popen([sys.argv[1]] + args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        block = (b"0" if args == ["decode", "-"] else b"\0") * (1 << 20)
        for _ in range(200):
            p.stdin.write(block)
        p.stdin.close()
    except BrokenPipeError:
        pass
    err = p.stderr.read()
    assert p.wait() == 6 and want in err, (args, p.returncode, err)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
assert rss < 64 * 1024, rss  # KiB
PY

# ---- tags ---------------------------------------------------------------------
expect_rc 0 "tags substring" "$RSCP" tags power_pv
check "tags finds EMS.POWER_PV" grep -q "0x01800001  EMS.POWER_PV" "$TMP/out"
expect_rc 0 "tags glob" "$RSCP" tags --json 'ems.req_power_*'
jcheck "$TMP/out" 'all(t["name"].startswith("EMS.REQ_POWER_") for t in j) and any(t["name"] == "EMS.REQ_POWER_PV" and t["type"] == "NONE" for t in j)'
expect_rc 0 "tags by id" "$RSCP" tags 0x00000003
check "tags by id marks secret" grep -q "secret" "$TMP/out"
expect_rc 1 "tags without match" "$RSCP" tags no_such_tag_anywhere
check "tags without match says so" grep -q "no tag matches 'no_such_tag_anywhere'" "$TMP/err"
expect_rc 1 "tags without match, invalid UTF-8" "$RSCP" tags $'bad\xff\x01'
check "the pattern is shown escaped" grep -q "no tag matches 'BAD\\\\xff\\\\x01'\|no tag matches 'bad\\\\xff\\\\x01'" "$TMP/err"
expect_rc 0 "tags --json" "$RSCP" tags --json 0x01800001
check "tags --json: the compact spacing of every command" grep -qx '{"id":"0x01800001","name":"EMS.POWER_PV","type":"INT32","secret":false}' "$TMP/out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
