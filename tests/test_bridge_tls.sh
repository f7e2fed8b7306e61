#!/usr/bin/env bash
# rscp-bridge over TLS to a real mosquitto broker. At test time openssl makes
# a CA, a server certificate for 127.0.0.1/localhost, a client certificate
# a second, unrelated CA, and a server certificate of the right CA for
# another host (broker.example); mosquitto listens with TLS on three
# loopback ports: the second with require_certificate, the third with the
# certificate for another host. Checked:
#  - --check-config refuses a missing, unreadable or non-regular TLS file
#    and a private key that others may read, naming the file, the key and
#    its line; it accepts the good files;
#  - the bridge, polling `rscp sim`, publishes over TLS (read back with
#    mosquitto_sub --cafile, and --cert/--key on the second port);
#  - with the wrong CA, without a client certificate where one is
#    required, and against a certificate for another host (the host name is
#    checked), the bridge logs what failed in words, keeps retrying with
#    backoff, stays up and publishes nothing;
#  - no password, RSCP key or private key in any log.
# Usage: test_bridge_tls.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$1
SRC=$2
RSCP=$BUILD/rscp
BRIDGE=$BUILD/rscp-bridge
# shellcheck source=cli_lib.sh
. "$SRC/tests/cli_lib.sh"

need_tools openssl mosquitto mosquitto_sub python3
[ -x "$BRIDGE" ] || { echo "FAIL: $BRIDGE not built" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- certificates -----------------------------------------------------------
PKI=$TMP/pki
mkdir -p "$PKI"
ossl() { openssl "$@" >>"$TMP/openssl.log" 2>&1 || { echo "FAIL: openssl $*" >&2; cat "$TMP/openssl.log" >&2; exit 1; }; }
newkey() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$PKI/$1.key"; }
# ca NAME: a self-signed CA
ca() {
    newkey "$1"
    ossl req -x509 -new -key "$PKI/$1.key" -out "$PKI/$1.pem" -days 2 -subj "/CN=$1" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
# leaf NAME CN EXTENSIONS: a certificate signed by the CA "ca"
leaf() {
    newkey "$1"
    ossl req -new -key "$PKI/$1.key" -out "$PKI/$1.csr" -subj "/CN=$2"
    printf '%s\n' "$3" >"$PKI/$1.ext"
    ossl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial \
        -out "$PKI/$1.pem" -days 2 -extfile "$PKI/$1.ext"
}
ca ca
ca other-ca
leaf server localhost "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
leaf client rscp-bridge "extendedKeyUsage=clientAuth"
# signed by the right CA, but for another host than the one the bridge dials
leaf elsewhere broker.example "subjectAltName=DNS:broker.example
extendedKeyUsage=serverAuth"
chmod 600 "$PKI"/*.key

# ---- broker: TLS on two ports, the second requires a client certificate ----
TPORT=$(free_port)
CPORT=$(free_port)
HPORT=$(free_port) # the certificate for broker.example
{
    echo "per_listener_settings false"
    echo "allow_anonymous true"
    echo "persistence false"
    echo "log_dest file $TMP/mosquitto.log"
    for p in "$TPORT" "$CPORT"; do
        echo "listener $p 127.0.0.1"
        echo "cafile $PKI/ca.pem"
        echo "certfile $PKI/server.pem"
        echo "keyfile $PKI/server.key"
        [ "$p" = "$CPORT" ] && echo "require_certificate true"
    done
    echo "listener $HPORT 127.0.0.1"
    echo "cafile $PKI/ca.pem"
    echo "certfile $PKI/elsewhere.pem"
    echo "keyfile $PKI/elsewhere.key"
    [ "$(id -u)" = 0 ] && echo "user root"
} >"$TMP/mosquitto.conf"
mosquitto -c "$TMP/mosquitto.conf" >"$TMP/mosquitto.out" 2>&1 &
SIM_PIDS+=($!)
SUB_TLS=(-h 127.0.0.1 -p "$TPORT" --cafile "$PKI/ca.pem")
SUB_CERT=(-h 127.0.0.1 -p "$CPORT" --cafile "$PKI/ca.pem" --cert "$PKI/client.pem" --key "$PKI/client.key")
for i in $(seq 100); do
    mosquitto_sub "${SUB_TLS[@]}" -t probe -W 1 -C 1 -E 2>/dev/null && break
    [ "$i" = 100 ] && { echo "FAIL: mosquitto did not start" >&2; cat "$TMP/mosquitto.out" "$TMP/mosquitto.log" >&2; exit 1; }
    sleep 0.1
done

start_sim plant --model s10e --start 2025-04-14T09:00:00Z --seed 5
SPORT=$PORT

# conf NAME PORT PREFIX TLS-LINES...: a configuration with one site; the
# TLS keys follow "port" (line 4 on) in the order given.
conf() {
    local name=$1 port=$2 prefix=$3
    shift 3
    {
        echo "[mqtt]"
        echo "host = 127.0.0.1"
        echo "port = $port"
        for l in "$@"; do echo "$l"; done
        echo "prefix = $prefix"
        echo "client_id = bridge-$name"
        echo "[site main]"
        echo "host = 127.0.0.1"
        echo "port = $SPORT"
        echo "user = sim-user"
        echo "password = sim-password"
        echo "key = sim-key"
        echo "interval = 1"
    } >"$TMP/$name.conf"
    chmod 600 "$TMP/$name.conf"
}

# ---- --check-config: the files are checked at load --------------------------
CA="tls_ca_file = $PKI/ca.pem"
CERT="tls_cert_file = $PKI/client.pem"
KEY="tls_key_file = $PKI/client.key"
conf good "$CPORT" good "$CA" "$CERT" "$KEY"
expect_rc 0 "--check-config accepts the TLS files" "$BRIDGE" --check-config --config "$TMP/good.conf"
check "the plan says TLS" grep -q "127.0.0.1:$CPORT (TLS)" "$TMP/out"

conf missing "$TPORT" x "tls_ca_file = $PKI/nothing.pem"
expect_rc 2 "--check-config refuses a missing CA file" "$BRIDGE" --check-config --config "$TMP/missing.conf"
errhas "$TMP/missing.conf:4: key 'tls_ca_file': '$PKI/nothing.pem': cannot read it: No such file or directory"

mkdir -p "$TMP/adir.pem"
conf dir "$CPORT" x "$CA" "tls_cert_file = $TMP/adir.pem" "$KEY"
expect_rc 2 "--check-config refuses a directory as certificate" "$BRIDGE" --check-config --config "$TMP/dir.conf"
errhas "$TMP/dir.conf:5: key 'tls_cert_file': '$TMP/adir.pem' is not a regular file"

cp "$PKI/client.key" "$TMP/open.key"
chmod 644 "$TMP/open.key"
conf openkey "$CPORT" x "$CA" "$CERT" "tls_key_file = $TMP/open.key"
expect_rc 2 "--check-config refuses a private key others may read" "$BRIDGE" --check-config --config "$TMP/openkey.conf"
errhas "$TMP/openkey.conf:6: key 'tls_key_file': group or others may access the private key '$TMP/open.key' (mode 0644): run chmod 600"
check "the refusal quotes no key material" bash -c "! grep -q -e 'PRIVATE KEY' -e \"\$(sed -n 2p '$PKI/client.key')\" '$TMP/err'"
chmod 640 "$TMP/open.key"
expect_rc 2 "--check-config refuses a private key the group may read" "$BRIDGE" --check-config --config "$TMP/openkey.conf"
errhas "(mode 0640)"

# A file this process cannot read: as root everything is readable, so the
# check runs as user nobody over a copy that nobody owns (but for the CA).
U=$TMP/unreadable
mkdir -p "$U"
cp "$PKI/ca.pem" "$U/ca.pem"
chmod 000 "$U/ca.pem"
conf unreadable "$TPORT" x "tls_ca_file = $U/ca.pem"
mv "$TMP/unreadable.conf" "$U/bridge.conf"
if [ "$(id -u)" = 0 ]; then
    chmod 755 "$TMP"
    chown -R 65534 "$U"
    chown 0 "$U/ca.pem"
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    AS=()
fi
expect_rc 2 "--check-config refuses an unreadable CA file" "${AS[@]}" "$BRIDGE" --check-config --config "$U/bridge.conf"
errhas "$U/bridge.conf:4: key 'tls_ca_file': '$U/ca.pem': cannot read it: Permission denied"

# ---- over TLS: values arrive --------------------------------------------------
declare -A PID
run_bridge() {
    "$BRIDGE" --config "$TMP/$1.conf" >"$TMP/$1.log" 2>&1 &
    SIM_PIDS+=($!)
    PID[$1]=$!
}
conf ca "$TPORT" viaca "$CA"
run_bridge ca
run_bridge good
conf wrongca "$TPORT" wrongca "tls_ca_file = $PKI/other-ca.pem"
run_bridge wrongca
conf nocert "$CPORT" nocert "$CA"
run_bridge nocert
conf wronghost "$HPORT" wronghost "$CA"
run_bridge wronghost

# wait_for CMD...: until CMD succeeds (up to 15 s)
wait_for() { for _ in $(seq 75); do "$@" && return 0; sleep 0.2; done; return 1; }
online() { [ "$(mosquitto_sub "${@:2}" -t "$1/status" -C 1 -W 2 2>/dev/null)" = online ]; }
check "over TLS (CA only) the site is online" wait_for online viaca "${SUB_TLS[@]}"
soc=$(mosquitto_sub "${SUB_TLS[@]}" -t viaca/battery/soc -C 1 -W 5 2>/dev/null)
check "over TLS a value arrives (battery/soc '$soc')" python3 -c "import sys; v=float(sys.argv[1]); sys.exit(0 if 0 <= v <= 100 else 1)" "$soc"
check "with a client certificate the site is online" wait_for online good "${SUB_CERT[@]}"
pv=$(mosquitto_sub "${SUB_CERT[@]}" -t good/solar/power -C 1 -W 5 2>/dev/null)
check "with a client certificate a value arrives (solar/power '$pv')" python3 -c "import sys; float(sys.argv[1])" "$pv"
check "the bridge says it connected over TLS" grep -q "mqtt 127.0.0.1:$CPORT: connected" "$TMP/good.log"

# ---- failures in words, retried -----------------------------------------------
# Two failed attempts (the first and one after the backoff) are logged.
attempts() { [ "$(grep -c "mqtt 127.0.0.1:$2: connect failed: $3" "$TMP/$1.log")" -ge 2 ]; }
WRONG="TLS: certificate verify failed: check tls_ca_file"
NOCERT="TLS: .*client certificate.*: set tls_cert_file and tls_key_file"
check "a wrong CA: '$WRONG', retried" wait_for attempts wrongca "$TPORT" "$WRONG"
check "no client certificate: '$NOCERT', retried" wait_for attempts nocert "$CPORT" "$NOCERT"
check "a wrong CA: the next attempt is announced" grep -q "$WRONG.*; next attempt in [0-9.]* s" "$TMP/wrongca.log"
check "a wrong CA: the bridge keeps running" kill -0 "${PID[wrongca]}"
check "no client certificate: the bridge keeps running" kill -0 "${PID[nocert]}"
check "a wrong CA: nothing published" bash -c "[ -z \"\$(mosquitto_sub ${SUB_TLS[*]} -t 'wrongca/#' -W 1 2>/dev/null)\" ]"
check "no client certificate: nothing published" bash -c "[ -z \"\$(mosquitto_sub ${SUB_TLS[*]} -t 'nocert/#' -W 1 2>/dev/null)\" ]"
# a certificate for another host: refused (the name is checked), in words
HOST="TLS: certificate verify failed: check tls_ca_file .* and that the certificate names host"
check "a certificate for another host: '$HOST', retried" wait_for attempts wronghost "$HPORT" "$HOST"
check "a certificate for another host: the bridge keeps running" kill -0 "${PID[wronghost]}"
check "a certificate for another host: nothing published" bash -c "[ -z \"\$(mosquitto_sub ${SUB_TLS[*]} -t 'wronghost/#' -W 1 2>/dev/null)\" ]"
if ! kill -0 "${PID[wrongca]}" 2>/dev/null || [ "$fail" -gt 0 ]; then
    for l in ca good wrongca nocert wronghost; do echo "--- $l.log" >&2; tail -5 "$TMP/$l.log" >&2; done
fi

check "no secret in any log" bash -c "! cat '$TMP'/*.log | grep -q -e sim-password -e sim-key -e 'PRIVATE KEY' -e \"\$(sed -n 2p '$PKI/client.key')\""
summary
