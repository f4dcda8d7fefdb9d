#!/usr/bin/env python3
"""Writes DealerLens's app icons into public/icons/: icon.svg and PNGs of 192 and 512 px.

The mark is three rising bars (the 80/20 ranking) on the brand blue, drawn full-bleed so the
PNGs can also serve as maskable icons (everything that matters sits in the central safe zone).
Standard library only (zlib + struct): run `python3 scripts/make_icons.py` after changing it.
"""

import os
import struct
import zlib

BRAND = (0x1D, 0x5F, 0xBF)
WHITE = (0xFF, 0xFF, 0xFF)
ACCENT = (0xF5, 0x9E, 0x0B)

# Shapes on a 512-unit canvas: (x0, y0, x1, y1, radius, colour).
BARS = [
    (140, 292, 204, 372, 10, WHITE),
    (224, 220, 288, 372, 10, WHITE),
    (308, 140, 372, 372, 10, ACCENT),
]
BASELINE = (124, 384, 388, 400, 8, WHITE)
SHAPES = BARS + [BASELINE]


def inside_rounded(x, y, shape):
    x0, y0, x1, y1, r, _ = shape
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def colour_at(u, v):
    for shape in SHAPES:
        if inside_rounded(u, v, shape):
            return shape[5]
    return BRAND


def png(size):
    ss = 3  # supersampling per axis
    scale = 512 / size
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            acc = [0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    u = (px + (sx + 0.5) / ss) * scale
                    v = (py + (sy + 0.5) / ss) * scale
                    c = colour_at(u, v)
                    acc[0] += c[0]
                    acc[1] += c[1]
                    acc[2] += c[2]
            n = ss * ss
            row += bytes((round(acc[0] / n), round(acc[1] / n), round(acc[2] / n)))
        rows.append(bytes(row))

    def chunk(kind, data):
        body = kind + data
        return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack('>IIBBBBB', size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b'\x89PNG\r\n\x1a\n'
        + chunk(b'IHDR', ihdr)
        + chunk(b'IDAT', zlib.compress(b''.join(rows), 9))
        + chunk(b'IEND', b'')
    )


def hexc(c):
    return '#%02x%02x%02x' % c


def svg():
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">',
        f'<rect width="512" height="512" rx="96" fill="{hexc(BRAND)}"/>',
    ]
    for x0, y0, x1, y1, r, c in SHAPES:
        parts.append(f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="{hexc(c)}"/>')
    parts.append('</svg>')
    return '\n'.join(parts) + '\n'


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'public', 'icons')
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'icon.svg'), 'w', encoding='utf-8') as f:
        f.write(svg())
    for size in (192, 512):
        with open(os.path.join(out, f'icon-{size}.png'), 'wb') as f:
            f.write(png(size))


if __name__ == '__main__':
    main()
