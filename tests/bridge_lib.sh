# Helpers for the shell tests of rscp-bridge against a real broker and one
# simulated site; sourced after cli_lib.sh (it uses TMP, SRC, BRIDGE, check
# and cleanup).
#   bridge_need [TOOL...]       fails unless $BRIDGE is built and mosquitto,
#                               its clients, python3 and the TOOLs are there
#   bridge_broker_start         mosquitto on a free loopback port (BPORT),
#                               stopped with everything else on exit
#   bridge_site_conf FILE PORT [TEXT]
#                               a configuration (mode 600) for the broker and
#                               one site "main" on the simulator at PORT
#                               (sim-user / sim-password / sim-key, every
#                               second); TEXT goes between them ([prometheus]
#                               and the like)
#   bridge_start FILE           rscp-bridge on FILE, its log $TMP/bridge.log
#   bridge_check_online [PREFIX]
#                               a check that PREFIX/status (default e3dc)
#                               turns online within about 20 s

bridge_need() {
    need_tools mosquitto mosquitto_sub mosquitto_pub python3 "$@"
    [ -x "$BRIDGE" ] || { echo "FAIL: $BRIDGE not built" >&2; exit 1; }
}

bridge_broker_start() {
    BPORT=$(sh "$SRC/tests/broker.sh" start "$TMP/broker") || exit 1
    trap 'sh "$SRC/tests/broker.sh" stop "$TMP/broker"; cleanup' EXIT
}

bridge_site_conf() {
    {
        printf '[mqtt]\nhost = 127.0.0.1\nport = %s\n' "$BPORT"
        [ -n "${3:-}" ] && printf '%s\n' "$3"
        printf '[site main]\nhost = 127.0.0.1\nport = %s\nuser = sim-user\npassword = sim-password\n' "$2"
        printf 'key = sim-key\ninterval = 1\n'
    } >"$1"
    chmod 600 "$1"
}

bridge_start() {
    "$BRIDGE" --config "$1" >"$TMP/bridge.log" 2>&1 &
    SIM_PIDS+=($!)
}

bridge_check_online() {
    local p=${1:-e3dc}
    check "the site is online" bash -c "for i in \$(seq 40); do [ \"\$(mosquitto_sub -h 127.0.0.1 -p $BPORT -t $p/status -C 1 -W 2)\" = online ] && exit 0; sleep 0.3; done; exit 1"
}
