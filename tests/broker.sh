#!/bin/sh
# A mosquitto broker for tests, on a loopback port.
#   broker.sh start DIR [persistence true|false] [PORT]
#       writes DIR/mosquitto.conf, starts mosquitto in the background
#       (pid in DIR/mosquitto.pid, log in DIR/mosquitto.log), waits until
#       it accepts connections and prints the port. Without PORT a free
#       one is taken, or the one of a previous start in DIR (DIR/port),
#       so a restart keeps its port.
#   broker.sh stop DIR
#       stops it (and waits until it is gone).
# As root, "user root" keeps mosquitto from switching to user mosquitto
# (which could not write DIR).
set -eu
cmd=${1:?usage: broker.sh start|stop DIR}
dir=${2:?usage: broker.sh start|stop DIR}
case $cmd in
start)
    persist=${3:-false}
    port=${4:-}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    command -v mosquitto >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
    command -v mosquitto >/dev/null 2>&1 || { echo "broker.sh: mosquitto not installed" >&2; exit 1; }
    if [ -z "$port" ] && [ -f "$dir/port" ]; then port=$(cat "$dir/port"); fi
    if [ -z "$port" ]; then
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    fi
    echo "$port" >"$dir/port"
    {
        echo "listener $port 127.0.0.1"
        echo "allow_anonymous true"
        echo "persistence $persist"
        echo "persistence_location $dir/"
        echo "log_dest file $dir/mosquitto.log"
        echo "pid_file $dir/mosquitto.pid"
        if [ "$(id -u)" -eq 0 ]; then echo "user root"; fi
    } >"$dir/mosquitto.conf"
    rm -f "$dir/mosquitto.pid"
    mosquitto -c "$dir/mosquitto.conf" >>"$dir/mosquitto.out" 2>&1 &
    echo $! >"$dir/mosquitto.pid"
    i=0
    while ! python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),0.2).close()' "$port" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 50 ] || ! kill -0 "$(cat "$dir/mosquitto.pid")" 2>/dev/null; then
            echo "broker.sh: mosquitto did not start on port $port:" >&2
            cat "$dir/mosquitto.out" "$dir/mosquitto.log" >&2 2>/dev/null || true
            exit 1
        fi
        sleep 0.1
    done
    echo "$port"
    ;;
stop)
    [ -f "$dir/mosquitto.pid" ] || exit 0
    pid=$(cat "$dir/mosquitto.pid")
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/mosquitto.pid"
    ;;
*)
    echo "usage: broker.sh start|stop DIR" >&2
    exit 2
    ;;
esac
