#!/usr/bin/env python3
"""Draws the app icons (a compass needle on a teal disc) as PNG files, with no dependencies.

    python3 web/tools/icons.py web/public
Writes icon-192.png, icon-512.png and icon-maskable-512.png (full-bleed background, for Android).
"""
import math
import struct
import sys
import zlib

TEAL = (0x0B, 0x5E, 0x66)
WHITE = (0xFF, 0xFF, 0xFF)
RED = (0xE0, 0x4F, 0x3A)


def png(path, size, pixels):
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def inside_triangle(p, a, b, c):
    def side(p1, p2, p3):
        return (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1])

    d1, d2, d3 = side(p, a, b), side(p, b, c), side(p, c, a)
    neg = d1 < 0 or d2 < 0 or d3 < 0
    pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (neg and pos)


def draw(size, maskable):
    c = size / 2
    disc = size * (0.5 if maskable else 0.47)
    ring = size * 0.30
    needle_len, needle_w = size * 0.27, size * 0.075
    # Needle pointing north-east, like a compass settling.
    ang = math.radians(-35)
    ux, uy = math.sin(ang), -math.cos(ang)
    vx, vy = -uy, ux
    tip_n = (c + ux * needle_len, c + uy * needle_len)
    tip_s = (c - ux * needle_len, c - uy * needle_len)
    left = (c + vx * needle_w, c + vy * needle_w)
    right = (c - vx * needle_w, c - vy * needle_w)
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            p = (x + 0.5, y + 0.5)
            r = math.hypot(p[0] - c, p[1] - c)
            if maskable:
                px = TEAL + (255,)
            elif r <= disc:
                px = TEAL + (255,)
            else:
                px = (0, 0, 0, 0)
            if abs(r - ring) < size * 0.018:
                px = WHITE + (255,)
            if inside_triangle(p, tip_n, left, right):
                px = RED + (255,)
            elif inside_triangle(p, tip_s, left, right):
                px = WHITE + (255,)
            row.append(px)
        rows.append(row)
    return rows


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    png(f"{out}/icon-192.png", 192, draw(192, False))
    png(f"{out}/icon-512.png", 512, draw(512, False))
    png(f"{out}/icon-maskable-512.png", 512, draw(512, True))
