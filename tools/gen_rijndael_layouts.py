#!/usr/bin/env python3
"""Find the state layouts of the AVX-512 Rijndael-256 rounds and emit the
byte tables of src/crypto/rijndael_avx512.c.

    python3 tools/gen_rijndael_layouts.py > src/crypto/rijndael_avx512_tables.h

src/crypto/rijndael_avx512.c keeps a 256-bit Rijndael state in two 128-bit
halves A and B and runs each round as one masked byte shuffle per half
followed by AESENC. A layout places each logical column c (0..7) of the state
at a slot (half = slot // 4, column = slot % 4 of that half) with its rows
rotated by rot (logical row r at physical row (r + rot) % 4); MixColumns is
circulant, so a rotated column stays a column for AESENC.

A round maps the state in layout N to the state in layout N'. The new A half
must keep every byte it takes from the old A half at the same position (the
masked shuffle merges them in place) and may shuffle in any byte of the old B
half; likewise for the new B half. Such an N' is unique when it exists. This
program scans layouts in order (first by the number of columns with a
non-zero rotation, then the slots as permutations in lexicographic order, then
the rotations in lexicographic order) and prints the first cycle of layouts it
finds: the encryption rounds walk this cycle. Every cycle found by an
exhaustive search has length 8.

From the cycle it derives the tables the C code needs, none of which depends
on the key: the masked shuffle of the encryption rounds (the same in every
round, checked, as is that every byte staying in its half stays in place), round 1's two-source permutation
from the layout between blocks, the conversions between that layout and the
natural one, where each round key byte goes, and the permutation before
each AESDEC of the decryption (natural layout).
"""
import itertools
import sys

SHIFT = (0, 1, 3, 4)  # Rijndael-256 ShiftRows: row r moves left by SHIFT[r]


def pos(layout, r, c):
    """Byte index (0..31, A then B) of row r of logical column c."""
    slot, rot = layout[c]
    return 16 * (slot // 4) + 4 * (slot % 4) + (r + rot) % 4


def successor(layout):
    """The layout after one masked-shuffle round from `layout`, or None.

    For a destination column c in half h with rotation rot, the byte of
    logical row r comes from row r of column c + SHIFT[r]; AESENC's ShiftRows
    moves the byte at column k of the input to column k - p (p its physical
    row), so the input position is column j + p of the slot (h, j). Every
    source byte from half h pins (slot, rot) of c; all must agree."""
    options = []
    for c in range(8):
        opts = []
        for h in (0, 1):
            pinned = None
            ok = True
            for r in range(4):
                s = (c + SHIFT[r]) % 8
                if layout[s][0] // 4 != h:
                    continue
                src_slot, src_rot = layout[s]
                # same physical row: (r + rot) == (r + src_rot)
                rot = src_rot
                p = (r + rot) % 4
                j = (src_slot % 4 - p) % 4
                cand = (4 * h + j, rot)
                if pinned is None:
                    pinned = cand
                elif pinned != cand:
                    ok = False
                    break
            if not ok:
                continue
            if pinned is None:
                opts.extend((4 * h + j, rot) for j in range(4) for rot in range(4))
            else:
                opts.append(pinned)
        if not opts:
            return None
        options.append(opts)
    found = []

    def assign(c, used, acc):
        if len(found) > 1:
            return
        if c == 8:
            found.append(tuple(acc))
            return
        for slot, rot in options[c]:
            if not used & (1 << slot):
                acc.append((slot, rot))
                assign(c + 1, used | (1 << slot), acc)
                acc.pop()

    assign(0, 0, [])
    return found[0] if len(found) == 1 else None


def first_cycle():
    # Layouts with few rotated columns first: the search ends sooner.
    groups = [[] for _ in range(9)]
    for t in itertools.product(range(4), repeat=8):
        groups[sum(x != 0 for x in t)].append(t)
    for group in groups:
      for slots in itertools.permutations(range(8)):
        for rots in group:
            layout = tuple((slots[c], rots[c]) for c in range(8))
            seq = [layout]
            cur = layout
            for _ in range(16):
                cur = successor(cur)
                if cur is None:
                    break
                if cur == layout:
                    return seq
                seq.append(cur)
    raise SystemExit("no cycle of layouts found")


ROUNDS = 14


def layout_of(cycle, t):
    return cycle[t % len(cycle)]


def round_source(cycle, t, frm, half, i):
    """Byte index in the state in layout `frm` that byte i of half `half` of
    the input of round t's AESENC must take: AESENC's ShiftRows moves the
    byte in column k, row p of a half to column k - p; the slot (half,
    k - p) holds logical column c in layout t, whose row r = p - rot is row r
    of column c + SHIFT[r] before the round."""
    k, p = i // 4, i % 4
    slot = 4 * half + (k - p) % 4
    layout = layout_of(cycle, t)
    c = next(c for c in range(8) if layout[c][0] == slot)
    r = (p - layout[c][1]) % 4
    return pos(layout_of(cycle, frm), r, (c + SHIFT[r]) % 8)


def tables(cycle):
    e = ROUNDS % len(cycle)  # layout of the state between blocks
    key_src = []
    for r in range(ROUNDS + 1):
        # Rounds 0 and 14 act on the state between blocks.
        layout = layout_of(cycle, e if r == 0 else r)
        row = [0] * 32
        for c in range(8):
            for rr in range(4):
                row[pos(layout, rr, c)] = 4 * c + rr
        key_src.append(row)
    first = [[round_source(cycle, 1, e, h, i) for i in range(16)] for h in (0, 1)]
    shuf, mask = [], []
    for r in range(2, ROUNDS + 1):
        rs, rm = [], []
        for h in (0, 1):
            sh, m = [0] * 16, 0
            for i in range(16):
                frm = round_source(cycle, r, r - 1, h, i)
                if frm // 16 == h:
                    if frm != 16 * h + i:
                        raise SystemExit("round %d: a byte staying in half %d moves" % (r, h))
                else:
                    sh[i] = frm % 16
                    m |= 1 << i
            rs.append(sh)
            rm.append(m)
        shuf.append(rs)
        mask.append(rm)
    # The layouts of the cycle differ by a turn of the columns, so every round
    # takes the same shuffle; the C code keeps one in registers.
    if any(x != shuf[0] for x in shuf) or any(x != mask[0] for x in mask):
        raise SystemExit("the rounds of the cycle need different shuffles")
    shuf, mask = shuf[0], mask[0]
    to_e, from_e = [0] * 32, [0] * 32
    for c in range(8):
        for rr in range(4):
            at = pos(layout_of(cycle, e), rr, c)
            to_e[at] = 4 * c + rr
            from_e[4 * c + rr] = at
    # Decryption, natural layout: byte i of the input of AESDEC (half h,
    # column k, row p) lands in column k + p of its half, which must hold row
    # p of column c = 4h + (k + p) % 4 after the round, that is row p of
    # column c - SHIFT[p] before it. The second block of a 512-bit register
    # takes the same permutation 32 bytes on.
    dec = []
    for i in range(32):
        h, k, p = i // 16, (i % 16) // 4, i % 4
        c = 4 * h + (k + p) % 4
        dec.append(4 * ((c - SHIFT[p]) % 8) + p)
    dec += [32 + x for x in dec]
    return key_src, first, shuf, mask, to_e, from_e, dec


def c_bytes(values):
    return "{" + ", ".join(str(v) for v in values) + "}"


def main():
    cycle = first_cycle()
    key_src, first, shuf, mask, to_e, from_e, dec = tables(cycle)
    out = sys.stdout
    w = out.write
    w("/* Generated by tools/gen_rijndael_layouts.py -- do not edit.\n")
    w(" *\n")
    w(" * Byte tables of the AVX-512 Rijndael-256 path (src/crypto/rijndael_avx512.c).\n")
    w(" * Encryption round t keeps the state in layout t mod %d of this cycle; entry\n" % len(cycle))
    w(" * {slot, rot} of column c places logical column c at slot (half slot / 4,\n")
    w(" * column slot % 4) with its rows rotated by rot:\n")
    w(" *\n")
    for t, layout in enumerate(cycle):
        w(" *   %d: %s\n" % (t, " ".join("{%d,%d}" % cell for cell in layout)))
    w(" *\n")
    w(" * The state between blocks is in layout %d (14 mod %d). None of these tables\n" % (ROUNDS % len(cycle), len(cycle)))
    w(" * depends on the key. */\n")
    w("#ifndef RSCP_CRYPTO_RIJNDAEL_AVX512_TABLES_H\n#define RSCP_CRYPTO_RIJNDAEL_AVX512_TABLES_H\n\n")
    w("#include <stdint.h>\n\n")
    w("/* Round key r in its round's layout: byte i is byte [r][i] of the key in\n")
    w(" * natural layout (row r of column c at 4c + r). */\n")
    w("static const uint8_t rscp_avx512_key_src[15][32] = {\n")
    for row in key_src:
        w("    %s,\n" % c_bytes(row))
    w("};\n\n")
    w("/* Round 1: VPERMT2B indexes (0..31 over both halves of the state between\n")
    w(" * blocks) for the AESENC input of half A and of half B. */\n")
    w("static const uint8_t rscp_avx512_enc_first[2][16] = {%s, %s};\n\n" % (c_bytes(first[0]), c_bytes(first[1])))
    w("/* Rounds 2..14, each alike, half A and B: byte i takes byte shuf[i] of\n")
    w(" * the other half where mask bit i is set, else keeps its own. */\n")
    w("static const uint8_t rscp_avx512_enc_shuf[2][16] = {%s, %s};\n" % (c_bytes(shuf[0]), c_bytes(shuf[1])))
    w("static const uint16_t rscp_avx512_enc_mask[2] = {0x%04x, 0x%04x};\n\n" % (mask[0], mask[1]))
    w("/* Natural block <-> the layout between blocks, as VPERMT2B indexes over\n")
    w(" * the two 16-byte halves (0..15 the first source, 16..31 the second). */\n")
    w("static const uint8_t rscp_avx512_to_e[32] = %s;\n" % c_bytes(to_e))
    w("static const uint8_t rscp_avx512_from_e[32] = %s;\n\n" % c_bytes(from_e))
    w("/* Decryption: VPERMB indexes before each AESDEC, two blocks per 512-bit\n")
    w(" * register. */\n")
    w("static const uint8_t rscp_avx512_dec_perm[64] = %s;\n\n" % c_bytes(dec))
    w("#endif\n")


if __name__ == "__main__":
    main()
