"""Barcode and QR pictures made the way a phone would take them, for the decoding tests and the
barcode benchmark: the code drawn by zxing-cpp's own writer, then rotated, scaled, blurred,
noisy, pasted small on a textured background and saved as JPEG. Seeded, so a set is the same on
every run."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFilter

FORMATS = {"ean13": zxingcpp.BarcodeFormat.EAN13, "qr": zxingcpp.BarcodeFormat.QRCode,
           "upca": zxingcpp.BarcodeFormat.UPCA, "ean8": zxingcpp.BarcodeFormat.EAN8,
           "itf14": zxingcpp.BarcodeFormat.ITF, "code128": zxingcpp.BarcodeFormat.Code128,
           "datamatrix": zxingcpp.BarcodeFormat.DataMatrix}  # fmt: skip


def code_image(content: str, kind: str = "ean13", module: int = 4) -> Image.Image:
    """A clean code (black on white, quiet zones included), `module` pixels per bar unit."""
    barcode = zxingcpp.create_barcode(content, FORMATS[kind])
    image = Image.fromarray(np.asarray(barcode.to_image(scale=module, add_quiet_zones=True)))
    if kind not in ("qr", "datamatrix") and image.height < image.width // 3:
        # A linear code is drawn one row high: give it the height of a printed label.
        image = image.resize((image.width, max(image.width // 3, 60)), Image.NEAREST)
    return image.convert("L")


def background(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A cardboard-like scene: a colour gradient with grain, blotches and some printed text."""
    w, h = size
    tone = np.array([rng.randint(120, 200), rng.randint(100, 170), rng.randint(60, 130)])
    # The gradient drawn small and enlarged; the grain from Pillow's own noise (fast, in C).
    ramp = np.linspace(0.75, 1.1, max(2, w // 16), dtype=np.float32)[None, :, None]
    small = np.clip(np.broadcast_to(tone * ramp, (max(2, h // 16), ramp.shape[1], 3)), 0, 255)
    image = Image.fromarray(small.astype(np.uint8)).resize(size, Image.BILINEAR)
    image = grain(image, 8, rng.randrange(2**31))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randint(20, max(21, w // 8))
        shade = tuple(int(c * rng.uniform(0.6, 0.95)) for c in tone)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    for _ in range(8):
        x, y = rng.randrange(w), rng.randrange(h)
        draw.text((x, y), "FRAGILE 易碎 KEEP DRY 防潮 THIS SIDE UP", fill=(40, 30, 20))
    return image


def grain(image: Image.Image, sigma: float, seed: int) -> Image.Image:
    """`image` with Gaussian noise of `sigma` added (the same on each channel): a 256-pixel
    tile of noise repeated, which costs little and looks the same to a decoder."""
    nprng = np.random.default_rng(seed)
    tile = Image.fromarray(np.clip(nprng.normal(128, sigma, (256, 256)), 0, 255).astype(np.uint8))
    noise = Image.new("L", image.size)
    for x in range(0, image.width, 256):
        for y in range(0, image.height, 256):
            noise.paste(tile, (x, y))
    return ImageChops.add(image, noise.convert(image.mode), offset=-128)


@dataclass(frozen=True)
class Shot:
    """How one picture was taken."""

    angle: float = 0.0  # degrees, counter-clockwise
    scale: float = 1.0  # of the clean code's size
    blur: float = 0.0  # Gaussian radius in pixels
    noise: float = 0.0  # standard deviation of added noise, 0–255
    size: tuple[int, int] | None = None  # the photo it is pasted on (None: the code alone)
    quality: int = 85  # JPEG
    light: float = 1.0  # brightness factor


def photo(code: Image.Image, shot: Shot, seed: int = 0) -> bytes:
    """The code taken as `shot` says, as JPEG bytes."""
    rng = random.Random(seed)
    picture = code.convert("RGB")
    if shot.scale != 1.0:
        w, h = picture.size
        picture = picture.resize(
            (max(1, round(w * shot.scale)), max(1, round(h * shot.scale))), Image.BILINEAR
        )
    # A white label around the code, then the turn of the hand.
    pad = max(8, picture.width // 12)
    label = Image.new("RGB", (picture.width + 2 * pad, picture.height + 2 * pad), "white")
    label.paste(picture, (pad, pad))
    mask = Image.new("L", label.size, 255)
    if shot.angle:
        label = label.rotate(shot.angle, expand=True, resample=Image.BICUBIC, fillcolor="white")
        mask = mask.rotate(shot.angle, expand=True, resample=Image.BICUBIC, fillcolor=0)
    if shot.size is not None:
        scene = background(shot.size, rng)
        x = rng.randint(0, max(0, scene.width - label.width))
        y = rng.randint(0, max(0, scene.height - label.height))
        scene.paste(label, (x, y), mask)
    else:
        scene = label
    if shot.blur:
        scene = scene.filter(ImageFilter.GaussianBlur(shot.blur))
    if shot.light != 1.0:
        scene = scene.point(lambda v: min(255, round(v * shot.light)))
    if shot.noise:
        scene = grain(scene, shot.noise, seed)
    out = io.BytesIO()
    scene.save(out, "JPEG", quality=shot.quality)
    return out.getvalue()


def blank_photo(size: tuple[int, int] = (1200, 900), seed: int = 0) -> bytes:
    """A photo with no code in it."""
    out = io.BytesIO()
    background(size, random.Random(seed)).save(out, "JPEG", quality=85)
    return out.getvalue()


def with_check_digit(body: str) -> str:
    """The GTIN `body` followed by its check digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


# The generated set the tests and the benchmark decode: each kind of trouble a phone brings.
TROUBLES = {
    "straight": Shot(size=(1600, 1200)),
    "rotated 10°": Shot(angle=10, size=(1600, 1200)),
    "rotated 25°": Shot(angle=25, size=(1600, 1200)),
    "rotated 40°": Shot(angle=40, size=(1600, 1200)),
    "rotated 90°": Shot(angle=90, size=(1600, 1200)),
    "upside down": Shot(angle=180, size=(1600, 1200)),
    "small in frame": Shot(scale=0.45, size=(2000, 1500)),
    "large": Shot(scale=2.5, size=(2048, 1536)),
    "noisy": Shot(noise=25, size=(1600, 1200)),
    "blurred": Shot(blur=1.5, size=(1600, 1200)),
    "dim": Shot(light=0.45, noise=6, size=(1600, 1200)),
    "jpeg 40": Shot(quality=40, size=(1600, 1200)),
    "rotated small noisy": Shot(angle=15, scale=0.6, noise=12, blur=0.8, size=(1600, 1200)),
}


def generated_set(count: int = 5, seed: int = 7) -> list[tuple[str, str, str, bytes]]:
    """(kind of trouble, format, content, JPEG) for `count` codes of each format in each
    trouble."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        ean = with_check_digit(f"69{rng.randrange(10**10):010d}")
        sku = f"SKU-{rng.randrange(10**4):04d}"
        for kind, content in (("ean13", ean), ("qr", sku)):
            code = code_image(content, kind, module=3 if kind == "ean13" else 6)
            for trouble, shot in TROUBLES.items():
                out.append((trouble, kind, content, photo(code, shot, seed=n * 1000 + len(out))))
    return out
