"""Abstract illustrations for the demo articles, drawn here with Pillow (nothing downloaded).

Each article gets its own picture: the palette comes from its category, the
motif from its place in the demo, the details from its slug. The alternative
text describes what is actually drawn, in French like the rest of the demo.
Colour names are all invariable in French ("des cercles orange"), so they fit
every sentence.
"""

import io
import math
import random
import zlib
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 675


@dataclass(frozen=True)
class Colour:
    name: str
    rgb: tuple[int, int, int]


def _c(name, hex_value):
    return Colour(name, tuple(int(hex_value[i : i + 2], 16) for i in (1, 3, 5)))


# (background, first colour, second colour), with the names the alt text uses.
PALETTES = [
    (_c("bleu nuit", "#14213d"), _c("orange", "#fca311"), _c("gris perle", "#e5e5e5")),
    (_c("crème", "#f4f1de"), _c("terre cuite", "#e07a5f"), _c("bleu ardoise", "#3d405b")),
    (_c("vert sapin", "#1b4332"), _c("vert amande", "#95d5b2"), _c("jaune paille", "#f1e3a0")),
    (_c("sable", "#f2e8cf"), _c("rouge brique", "#bc4749"), _c("vert olive", "#6a994e")),
    (_c("prune", "#3c1642"), _c("rose poudré", "#f4acb7"), _c("turquoise", "#2ec4b6")),
    (_c("ardoise", "#22303c"), _c("corail", "#ff6f59"), _c("bleu ciel", "#8ecae6")),
    (_c("ivoire", "#fdfcdc"), _c("bleu canard", "#0081a7"), _c("moutarde", "#e9b44c")),
    (_c("anthracite", "#2b2d42"), _c("lavande", "#b8b8ff"), _c("jaune citron", "#ffd60a")),
]


def _lerp(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _circles(draw, rng, bg, one, two):
    cx, cy = rng.randint(300, 900), rng.randint(200, 475)
    for step, radius in enumerate(range(900, 40, -70)):
        colour = _lerp(one.rgb, two.rgb, step / 12) if step % 2 == 0 else bg.rgb
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=colour)
    return f"des cercles concentriques {one.name} et {two.name} sur fond {bg.name}"


def _stripes(draw, rng, bg, one, two):
    width = rng.randint(50, 90)
    for index, x in enumerate(range(-HEIGHT, WIDTH + HEIGHT, width)):
        colour = (one, two, bg)[index % 3].rgb
        draw.polygon(
            [(x, 0), (x + width, 0), (x + width - HEIGHT, HEIGHT), (x - HEIGHT, HEIGHT)], fill=colour
        )
    return f"des bandes diagonales {one.name}, {two.name} et {bg.name} en alternance"


def _waves(draw, rng, bg, one, two):
    layers = 6
    phase = rng.random() * math.tau
    for layer in range(layers):
        base = 180 + layer * 85
        amplitude = 30 + layer * 6
        points = [(x, base + amplitude * math.sin(x / 140 + phase + layer)) for x in range(0, WIDTH + 20, 20)]
        draw.polygon(
            [*points, (WIDTH, HEIGHT), (0, HEIGHT)], fill=_lerp(one.rgb, two.rgb, layer / (layers - 1))
        )
    return f"des vagues superposées, {one.name} puis {two.name}, sous un ciel {bg.name}"


def _grid(draw, rng, bg, one, two):
    size, gap = 90, 24
    for y in range(gap, HEIGHT, size + gap):
        for x in range(gap, WIDTH, size + gap):
            colour = two if rng.random() < 0.18 else one
            draw.rounded_rectangle([x, y, x + size, y + size], radius=18, fill=colour.rgb)
    return f"une grille de carrés arrondis {one.name}, quelques-uns {two.name}, sur fond {bg.name}"


def _bubbles(draw, rng, bg, one, two):
    for _index in range(38):
        radius = rng.randint(20, 140)
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        colour = _lerp(one.rgb if rng.random() < 0.6 else two.rgb, bg.rgb, rng.random() * 0.45)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
    return f"des bulles de tailles variées, {one.name} et {two.name}, sur fond {bg.name}"


def _hills(draw, rng, bg, one, two):
    sun = rng.randint(750, 1050)
    draw.ellipse([sun - 90, 90, sun + 90, 270], fill=two.rgb)
    for layer in range(4):
        top = 300 + layer * 90
        points = [(0, HEIGHT)]
        for x in range(-100, WIDTH + 300, 300):
            points += [(x, top + rng.randint(0, 60)), (x + 150, top - rng.randint(40, 130))]
        points.append((WIDTH, HEIGHT))
        draw.polygon(points, fill=_lerp(one.rgb, (0, 0, 0), layer * 0.18))
    return f"des crêtes montagneuses {one.name} en couches, avec un soleil {two.name} dans un ciel {bg.name}"


MOTIFS = [_circles, _stripes, _waves, _grid, _bubbles, _hills]


def illustration(*, slug: str, category: str, index: int) -> tuple[bytes, str]:
    """A JPEG illustration for an article, and its alternative text."""
    bg, one, two = PALETTES[zlib.crc32(category.encode()) % len(PALETTES)]
    rng = random.Random(zlib.crc32(slug.encode()))
    image = Image.new("RGB", (WIDTH, HEIGHT), bg.rgb)
    described = MOTIFS[index % len(MOTIFS)](ImageDraw.Draw(image), rng, bg, one, two)
    # A touch of blur: softer edges, and smaller files.
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue(), f"Illustration abstraite\u00a0: {described}."
