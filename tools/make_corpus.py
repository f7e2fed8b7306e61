#!/usr/bin/env python3
"""Generates the fuzz seed corpora in fuzz/corpus/ from the test vectors.

Sources: every hex string in tests/data/vectors-public.md and
vectors-peers.md (complete frames and block sequences), the benchmark frames
in bench/data/, plus a few hand-made edge cases. Encrypted streams are made
with the Rijndael-256-CBC below (checked against the go-rscp known answer at
start-up) and the key "fuzzkey".

Input formats of the targets (see fuzz/fuzz_walk.h):
  values, roundtrip:          raw bytes (block data / one frame)
  reader_plain, _encrypted:   1 flag byte, 8 chunk-size bytes, the stream

Usage: python3 tools/make_corpus.py [--out fuzz/corpus]
The output is deterministic; re-running it rewrites the seed-* files and
leaves others (regression inputs found by fuzzing, named regress-*) alone.
"""
import argparse
import glob
import hashlib
import os
import re
import struct
import zlib

# ---- Rijndael with 256-bit block and key (Nb = Nk = 8, 14 rounds) ----------


def _xtime(a):
    a <<= 1
    return (a ^ 0x11B) & 0xFF if a & 0x100 else a


def _gmul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = _xtime(a)
        b >>= 1
    return r


def _make_sbox():
    inv = [0] * 256
    for a in range(1, 256):
        for b in range(1, 256):
            if _gmul(a, b) == 1:
                inv[a] = b
                break
    sbox = []
    for a in range(256):
        x = inv[a]
        s = x
        for k in range(1, 5):
            s ^= ((x << k) | (x >> (8 - k))) & 0xFF
        sbox.append(s ^ 0x63)
    return sbox


SBOX = _make_sbox()
NB, NK, NR = 8, 8, 14
SHIFTS = (0, 1, 3, 4)  # row offsets for a 256-bit block


def _expand_key(key):
    w = [list(key[4 * i:4 * i + 4]) for i in range(NK)]
    rcon = 1
    for i in range(NK, NB * (NR + 1)):
        t = list(w[i - 1])
        if i % NK == 0:
            t = t[1:] + t[:1]
            t = [SBOX[b] for b in t]
            t[0] ^= rcon
            rcon = _xtime(rcon)
        elif i % NK == 4:
            t = [SBOX[b] for b in t]
        w.append([a ^ b for a, b in zip(w[i - NK], t)])
    return w


def _encrypt_block(w, block):
    s = [[block[r + 4 * c] for c in range(NB)] for r in range(4)]

    def add_round_key(rnd):
        for c in range(NB):
            for r in range(4):
                s[r][c] ^= w[rnd * NB + c][r]

    add_round_key(0)
    for rnd in range(1, NR + 1):
        for r in range(4):
            s[r] = [SBOX[b] for b in s[r]]
        for r in range(1, 4):
            s[r] = s[r][SHIFTS[r]:] + s[r][:SHIFTS[r]]
        if rnd != NR:
            for c in range(NB):
                a = [s[r][c] for r in range(4)]
                s[0][c] = _gmul(a[0], 2) ^ _gmul(a[1], 3) ^ a[2] ^ a[3]
                s[1][c] = a[0] ^ _gmul(a[1], 2) ^ _gmul(a[2], 3) ^ a[3]
                s[2][c] = a[0] ^ a[1] ^ _gmul(a[2], 2) ^ _gmul(a[3], 3)
                s[3][c] = _gmul(a[0], 3) ^ a[1] ^ a[2] ^ _gmul(a[3], 2)
        add_round_key(rnd)
    return bytes(s[r][c] for c in range(NB) for r in range(4))


def derive_key(password):
    return (password[:32] + b"\xff" * 32)[:32]


class Sealer:
    """The send direction of an RSCP connection: IV chained across frames."""

    def __init__(self, password):
        self.w = _expand_key(derive_key(password))
        self.iv = b"\xff" * 32

    def seal(self, frame):
        if len(frame) % 32:
            frame += b"\0" * (32 - len(frame) % 32)
        out = b""
        for i in range(0, len(frame), 32):
            blk = bytes(a ^ b for a, b in zip(frame[i:i + 32], self.iv))
            self.iv = _encrypt_block(self.w, blk)
            out += self.iv
        return out


def _self_test():
    pt = bytes.fromhex("e3dc0011d9744698faffffff00ca5b070800010080000301000a7fb3efc3")
    want = "a52858a12680c2b712bbc9cb8ce0f0406f01f5d10ca06e9bda41fb46b311c226"
    got = Sealer(b"testkey").seal(pt).hex()
    if got != want:
        raise SystemExit("Rijndael-256 self-test failed: %s" % got)


# ---- parsing the vectors -------------------------------------------------------


def blocks_ok(data, depth=0):
    """True when data is a complete, well-formed block sequence."""
    pos = 0
    if depth > 16:
        return False
    while pos < len(data):
        if len(data) - pos < 7:
            return False
        tag, typ, n = struct.unpack_from("<IBH", data, pos)
        pos += 7
        if pos + n > len(data):
            return False
        if typ == 0x0E and not blocks_ok(data[pos:pos + n], depth + 1):
            return False
        pos += n
    return True


def frame_info(data):
    """(frame_len, data_offset, data_len) of a v1 frame at the start of data, or None."""
    if len(data) < 18 or data[:2] != b"\xe3\xdc":
        return None
    ctrl = data[2] | data[3] << 8
    if ctrl not in (0x1100, 0x0100):
        return None
    n = data[16] | data[17] << 8
    total = 18 + n + (4 if ctrl & 0x1000 else 0)
    if total > len(data):
        return None
    return total, 18, n


def make_frame(blocks, seconds=1700000000, nanos=123456789, crc=True):
    head = b"\xe3\xdc" + (b"\x00\x11" if crc else b"\x00\x01")
    head += struct.pack("<qIH", seconds, nanos, len(blocks))
    f = head + blocks
    if crc:
        f += struct.pack("<I", zlib.crc32(f) & 0xFFFFFFFF)
    return f


def block(tag, typ, value):
    return struct.pack("<IBH", tag, typ, len(value)) + value


def vector_hex(root):
    out = []
    for path in sorted(glob.glob(os.path.join(root, "tests", "data", "vectors-*.md"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r"(?<![0-9a-fA-Fx])([0-9a-f]{14,})(?![0-9a-fA-F])", text):
            h = m.group(1)
            if len(h) % 2 == 0:
                out.append(bytes.fromhex(h))
    return out


def decrypted_vectors(root):
    """Plaintexts listed in the peer vectors (R1..R7, with their padding)."""
    path = os.path.join(root, "tests", "data", "vectors-peers.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [bytes.fromhex(h) for h in re.findall(r"plaintext  ([0-9a-f]+)", text)]


# ---- the corpora -----------------------------------------------------------------


def edge_blocks():
    """Hand-made block sequences: every type, odd lengths, nesting, errors."""
    out = []
    every = b"".join([
        block(0x09000001, 0x00, b""),
        block(0x09000002, 0x01, b"\x01"),
        block(0x09000003, 0x02, b"\x80"),
        block(0x09000004, 0x03, b"\xff"),
        block(0x09000005, 0x04, b"\x00\x80"),
        block(0x09000006, 0x05, b"\xff\xff"),
        block(0x09000007, 0x06, b"\x00\x00\x00\x80"),
        block(0x09000008, 0x07, b"\xff\xff\xff\xff"),
        block(0x09000009, 0x08, b"\x00" * 7 + b"\x80"),
        block(0x0900000A, 0x09, b"\xff" * 8),
        block(0x0900000B, 0x0A, b"\x00\x00\xc0\x7f"),
        block(0x0900000C, 0x0B, b"\x00" * 7 + b"\x80"),
        block(0x0900000D, 0x0C, b"\x55\xaa"),
        block(0x0900000E, 0x0D, b"caf\xc3\xa9 \xe9\x00\"\\\n\x7f"),
        block(0x0900000F, 0x0F, struct.pack("<qI", -(2 ** 63), 999999999)),
        block(0x09000010, 0x10, b"\x01\x02\x03"),
        block(0x09000011, 0xFF, b"\x07\x00\x00\x00"),
        block(0x09000012, 0x42, b"\xde\xad"),
        block(0x00000003, 0x0D, b"secret"),
    ])
    out.append(every)
    out.append(block(0x09000020, 0x0E, every))
    # wrong lengths of fixed types
    out.append(b"".join(block(0x09000030 + t, t, b"\x01\x02\x03") for t in (0, 1, 4, 6, 8, 0x0A, 0x0B, 0x0F, 0xFF)))
    # deep nesting: 16 (accepted) and 17 (too deep) levels
    for levels in (16, 17):
        inner = block(0x09000040, 0x06, b"\x01\x00\x00\x00")
        for i in range(levels):
            inner = block(0x09000041 + i, 0x0E, inner)
        out.append(inner)
    # empty containers, a container whose length overruns, truncated headers
    out.append(block(0x09000050, 0x0E, b"") + block(0x09000051, 0x0E, block(0x09000052, 0x0E, b"")))
    out.append(b"\x50\x00\x00\x09\x0e\xff\x00" + block(0x09000053, 0x01, b"\x00"))
    out.append(b"\x01\x00\x80\x00\x03\xff")
    return out


def write(dirpath, name, data):
    os.makedirs(dirpath, exist_ok=True)
    with open(os.path.join(dirpath, name), "wb") as f:
        f.write(data)


def control_seeds():
    """Frame data of control replies for fuzz_control_parse (head: mask, value)."""
    def c(tag, *children):
        return block(tag, 0x0E, b"".join(children))
    u8 = lambda t, v: block(t, 0x03, bytes([v]))
    b1 = lambda t, v: block(t, 0x01, bytes([v]))
    u32 = lambda t, v: block(t, 0x07, struct.pack("<I", v))
    i32 = lambda t, v: block(t, 0x06, struct.pack("<i", v))
    f32 = lambda t, v: block(t, 0x0A, struct.pack("<f", v))
    err = lambda t, v: block(t, 0xFF, struct.pack("<I", v))
    cstr = lambda t, v: block(t, 0x0D, v.encode())
    settings = c(0x0180008B, b1(0x01000100, 1), u32(0x01000101, 4500), u32(0x01000102, 4600),
                 u32(0x01000103, 65), b1(0x01000104, 0), b1(0x01000105, 1), i32(0x01000106, 0))
    specs = c(0x01800098, *[c(0x01000099, i32(0x0100009A, i), cstr(0x0100009B, n), i32(0x0100009C, v))
                            for i, (n, v) in enumerate([("maxChargePower", 4500), ("maxDischargePower", 4600),
                                                        ("maxStartDischargePower", 1000), ("other", 1)])])
    results = c(0x0180008C, block(0x01800100, 0x02, b"\x00"), block(0x01800101, 0x02, b"\xff"),
                block(0x01800102, 0x02, b"\x01"), block(0x01800103, 0x02, b"\xfe"))
    period = lambda typ, day: c(0x01000082, u8(0x01000083, typ), u8(0x01000084, day), b1(0x01000089, 1),
                                c(0x01000085, u8(0x01000087, 1), u8(0x01000088, 30)),
                                c(0x01000086, u8(0x01000087, 5), u8(0x01000088, 0)))
    idle = b1(0x01800035, 1) + c(0x01800080, period(0, 0), period(1, 6), c(0x01000082))
    manual = c(0x0180008E, b1(0x01000151, 1), block(0x01000152, 0x0B, struct.pack("<d", 12.5)),
               block(0x01000150, 0x08, struct.pack("<q", 3)),
               block(0x01000153, 0x0F, struct.pack("<qI", 1782037800, 0))) + b1(0x0180008F, 1)
    reserve = c(0x1B800009, u8(0x1B040000, 0), f32(0x1B040023, 20.0), f32(0x1B040033, 2760.0),
                f32(0x1B040034, 13800.0)) + c(0x1B800010)
    power = i32(0x01800030, 3000) + u8(0x01800081, 1) + b1(0x01800034, 1)
    wallbox = c(0x0E840000, u8(0x0E040001, 0), c(0x0E841014, block(0x0E042010, 0x10, bytes([0, 0, 0xA8, 16, 0, 0, 0, 0]))),
                u8(0x0E84103B, 3), i32(0x0E841048, 6), i32(0x0E841047, 32), block(0x0E841010, 0x00, b""))
    errors = err(0x0180008B, 2) + err(0x01800098, 6) + err(0x01800030, 4) + err(0x1B800009, 3)
    heads = [struct.pack("<II", 0x02, 3000), struct.pack("<II", 0x3F, 70000), struct.pack("<II", 0x20, 5),
             struct.pack("<II", 0x11, 4), struct.pack("<II", 0x0F00, 0x0103_0A00)]
    datas = [settings + specs, results, idle, manual, reserve, power, errors, wallbox,
             settings + specs + results + idle + manual + reserve + power]
    return [heads[i % len(heads)] + d for i, d in enumerate(datas)]


def reader_input(flags, chunks, stream):
    return bytes([flags]) + bytes(chunks) + stream


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--out", default=os.path.join(root, "fuzz", "corpus"))
    args = ap.parse_args()
    _self_test()

    frames, blocks_seqs, lenient, damaged = [], [], [], []
    for raw in vector_hex(root) + decrypted_vectors(root):
        info = frame_info(raw)
        if info:
            f = raw[:info[0]]
            crc_ok = not (f[3] & 0x10) or zlib.crc32(f[:-4]) == struct.unpack("<I", f[-4:])[0]
            (frames if crc_ok else damaged).append(f)
        elif raw[:4] == b"\xe3\xdc\x00\x10":
            lenient.append(raw)
        elif blocks_ok(raw):
            blocks_seqs.append(raw)
    for name in ("request.bin", "response_1k.bin"):
        with open(os.path.join(root, "bench", "data", name), "rb") as f:
            frames.append(f.read())
    edges = edge_blocks()
    for e in edges:
        if blocks_ok(e) and len(e) <= 65535:
            frames.append(make_frame(e, crc=len(e) % 2 == 0))
    frames.append(make_frame(b"", seconds=-1, nanos=999999999, crc=False))

    def uniq(items):
        seen, out = set(), []
        for it in items:
            if it not in seen:
                seen.add(it)
                out.append(it)
        return out

    frames = uniq(frames)
    blocks_seqs = uniq(blocks_seqs + [f[18:18 + (f[16] | f[17] << 8)] for f in frames] + edges)

    def name_of(data):
        return hashlib.sha1(data).hexdigest()[:16]

    out = args.out
    for sub in ("values", "roundtrip", "reader_plain", "reader_encrypted", "control_parse"):
        d = os.path.join(out, sub)
        if os.path.isdir(d):
            for f in os.listdir(d):
                if f.startswith("seed-"):
                    os.remove(os.path.join(d, f))

    for b in blocks_seqs:
        write(os.path.join(out, "values"), "seed-" + name_of(b), b)
    for d in control_seeds():
        write(os.path.join(out, "control_parse"), "seed-" + name_of(d), d)
    for f in frames + damaged:
        write(os.path.join(out, "roundtrip"), "seed-" + name_of(f), f)
        # a frame followed by padding or the start of the next one
        write(os.path.join(out, "roundtrip"), "seed-" + name_of(f + b"\0\0"), f + b"\0\0")

    chunk_patterns = [
        [255, 255, 255, 255, 255, 255, 255, 255],  # big pieces
        [0, 0, 0, 0, 0, 0, 0, 0],                  # byte by byte
        [6, 30, 1, 17, 0, 127, 3, 9],              # mixed
        [31, 32, 33, 63, 64, 65, 0, 200],          # around the cipher block size
    ]
    stream_sets = [frames[i:i + 4] for i in range(0, len(frames), 4)]
    stream_sets.append(frames)
    plain = os.path.join(out, "reader_plain")
    enc = os.path.join(out, "reader_encrypted")
    for i, group in enumerate(stream_sets):
        stream = b"".join(group)
        chunks = chunk_patterns[i % len(chunk_patterns)]
        data = reader_input(0, chunks, stream)
        write(plain, "seed-" + name_of(data), data)
        sealer = Sealer(b"fuzzkey")
        sealed = b"".join(sealer.seal(f) for f in group)
        data = reader_input(i % 8 & 4, chunks, sealed)
        write(enc, "seed-" + name_of(data), data)
    for i, f in enumerate(frames[:12]):
        data = reader_input(8 if i % 2 else 0, chunk_patterns[2], f + f)
        write(plain, "seed-" + name_of(data), data)
        data = reader_input(0, chunk_patterns[3], Sealer(b"fuzzkey").seal(f))
        write(enc, "seed-" + name_of(data), data)
    for f in damaged:  # CRC mismatches in the vectors (R6, the F7 template)
        data = reader_input(0, chunk_patterns[1], f)
        write(plain, "seed-" + name_of(data), data)
    for f in lenient:  # the "00 10" frames: accepted only with the lenient flag
        data = reader_input(1, chunk_patterns[0], f)
        write(plain, "seed-" + name_of(data), data)
    # damaged streams: bad CRC, non-zero padding, wrong key
    bad_crc = frames[0][:-1] + bytes([frames[0][-1] ^ 1])
    write(plain, "seed-" + name_of(reader_input(0, chunk_patterns[0], bad_crc)),
          reader_input(0, chunk_patterns[0], bad_crc))
    padded = frames[0] + b"\0" * ((-len(frames[0])) % 32)
    padded = padded[:-1] + b"\x01" if len(frames[0]) % 32 else padded
    for data in (reader_input(0, chunk_patterns[0], Sealer(b"fuzzkey").seal(padded)),
                 reader_input(0, chunk_patterns[0], Sealer(b"otherkey").seal(frames[0]))):
        write(enc, "seed-" + name_of(data), data)


if __name__ == "__main__":
    main()
