#!/usr/bin/env python3
"""A slow Prometheus scraper: GET /metrics over a socket with a small
receive buffer, read a few KiB at a time with pauses, so that the bridge
must stream the page as it is taken.

  bridge_metrics_slow.py PORT OUT [--version 1.0|1.1] [--piece N] [--pause S]

Writes the decoded body to OUT (chunked transfer decoded for HTTP/1.1, read
to the close for 1.0) and prints "complete BYTES" when the response ended
properly (the last chunk, or the close after a 1.0 body), "incomplete
BYTES" when it did not (exit 1 then), with the status line's problems on
stderr (exit 2)."""
import socket
import sys
import time


def main():
    args = sys.argv[1:]
    port, out = int(args[0]), args[1]
    opts = dict(zip(args[2::2], args[3::2]))
    version = opts.get("--version", "1.1")
    piece = int(opts.get("--piece", "8192"))
    pause = float(opts.get("--pause", "0.002"))
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(20)
    s.connect(("127.0.0.1", port))
    s.sendall(f"GET /metrics HTTP/{version}\r\nHost: x\r\n\r\n".encode())
    raw = bytearray()
    while True:
        try:
            k = s.recv(piece)
        except (ConnectionResetError, socket.timeout):
            break
        if not k:
            break
        raw += k
        time.sleep(pause)
    s.close()
    head, sep, body = bytes(raw).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not sep or not lines[0].startswith("HTTP/1.1 200 "):
        print(f"bad response head: {lines[0] if lines else ''!r}", file=sys.stderr)
        sys.exit(2)
    headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
    complete = True
    if headers.get("transfer-encoding") == "chunked":
        data, i = bytearray(), 0
        complete = False
        while True:
            j = body.find(b"\r\n", i)
            if j < 0:
                break
            n = int(body[i:j], 16)
            if n == 0:
                complete = body[j + 2:j + 4] == b"\r\n"
                break
            if j + 2 + n + 2 > len(body) or body[j + 2 + n:j + 4 + n] != b"\r\n":
                break
            data += body[j + 2:j + 2 + n]
            i = j + 4 + n
        body = bytes(data)
    elif "content-length" in headers:
        complete = len(body) == int(headers["content-length"])
    elif version == "1.1":
        print("HTTP/1.1 response without length or chunks", file=sys.stderr)
        sys.exit(2)
    with open(out, "wb") as f:
        f.write(body)
    print(("complete" if complete else "incomplete"), len(body))
    sys.exit(0 if complete else 1)


main()
