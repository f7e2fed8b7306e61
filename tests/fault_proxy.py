#!/usr/bin/env python3
"""A TCP proxy in front of simulators that treats each accepted connection
by a plan, for tests of clients that reconnect:

    fault_proxy.py STEP...

STEP (one per accepted connection, in order; the last one repeats):
    PORT        forward the connection to 127.0.0.1:PORT
    PORT@MS     forward it, and cut both sides after MS milliseconds
    close       accept and close at once, without reading (as a device that
                accepts no more connections)

Prints "listening on 127.0.0.1:PORT" once it listens; runs until killed.
"""
import socket
import sys
import threading


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def forward(conn, port, cut_ms):
    try:
        up = socket.create_connection(("127.0.0.1", port))
    except OSError:
        conn.close()
        return
    threads = [threading.Thread(target=pipe, args=(conn, up), daemon=True),
               threading.Thread(target=pipe, args=(up, conn), daemon=True)]
    for t in threads:
        t.start()
    if cut_ms is not None:
        threading.Event().wait(cut_ms / 1000.0)
        for s in (conn, up):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    for t in threads:
        t.join()
    conn.close()
    up.close()


def main():
    plan = sys.argv[1:]
    if not plan:
        sys.exit("usage: fault_proxy.py STEP...")
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", 0))
    lst.listen(16)
    print("listening on 127.0.0.1:%d" % lst.getsockname()[1], flush=True)
    n = 0
    while True:
        conn, _ = lst.accept()
        step = plan[min(n, len(plan) - 1)]
        n += 1
        if step == "close":
            conn.close()
            continue
        port, _, cut = step.partition("@")
        threading.Thread(target=forward, args=(conn, int(port), int(cut) if cut else None),
                         daemon=True).start()


if __name__ == "__main__":
    main()
