"""Barcodes and QR codes read from photos as phones take them (扫码), with zxing-cpp.

First the image as sent; when that finds nothing, the cheap retries that help with phone photos,
in order, until one reads or the time budget is spent: the region where the picture is densest in
edges cropped and enlarged (a code small in the frame), sharpened (a little blur), turned by 45°
either way (a linear code held askew; zxing itself turns by quarter turns), light on dark, a
different binarizer, and last the rarer formats (Data Matrix, Micro QR). Nothing found is an
empty list, never a guess: an EAN/UPC or ITF-14 whose check digit fails is discarded.

zxing-cpp and Pillow are imported on the first decode, so importing this module costs nothing.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass

from domain.ledger.gtin import valid_gtin

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
"""The largest image taken (Telegram's bots download at most 20 MB)."""
MAX_SIDE = 3000
"""A larger photo is scaled down to this many pixels on its long side before reading."""
MAX_PIXELS = 60_000_000
"""Pillow refuses an image that claims more pixels (a decompression bomb)."""
BUDGET = 2.5
"""Seconds of retries at most for one photo, so a reply goes out well within 10 s."""

FORMATS = "EAN13,EAN8,UPCA,UPCE,ITF,Code128,QRCode"
"""What goods and our labels carry: retail EAN/UPC, ITF-14 on cartons, Code 128, QR."""
RARE_FORMATS = "DataMatrix,MicroQRCode"
"""Looked for only when nothing else was found (Data Matrix alone costs twice the others)."""
_GTIN_FORMATS = {"EAN13", "EAN8", "UPCA", "UPCE", "ITF"}


class NotAnImage(ValueError):
    """The bytes are not a picture Pillow can open."""


@dataclass(frozen=True)
class Decoded:
    """One code read: its text (digits for EAN/UPC, expanded to UPC-A for UPC-E) and format."""

    text: str
    format: str


def decode(data: bytes, budget: float = BUDGET) -> list[Decoded]:
    """Every code read from an image (JPEG, PNG, WebP…), distinct, in reading order; empty when
    none could be read. `NotAnImage` when the bytes are no picture."""
    started = time.monotonic()
    image = _open(data)
    found: list[Decoded] = []
    for n, attempt in enumerate(_attempts(image)):
        found = _read(*attempt)
        if found:
            if n:
                log.debug("code read on retry %d", n)
            return found
        if time.monotonic() - started > budget:
            log.info("no code read within %.1fs", budget)
            break
    return found


# -- the image ---------------------------------------------------------------------------------


def _open(data: bytes):
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_BYTES:
        raise NotAnImage(f"an image of {len(data)} bytes is over the {MAX_BYTES} taken")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        # Pillow refuses a decompression bomb, on its pixel count, before decoding it.
        image.draft("L", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced size, much faster
        image = ImageOps.exif_transpose(image)  # a phone's "this side up"
        image = image.convert("L")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise NotAnImage(f"not an image Pillow can read: {exc}") from exc
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.BILINEAR)
    return image


def _attempts(image):
    """(image, options) to try, cheapest and likeliest first."""
    import zxingcpp
    from PIL import Image, ImageFilter

    yield image, {}
    crop = _densest(image)
    if crop is not None:
        grown = crop.resize((crop.width * 2, crop.height * 2), Image.BICUBIC)
        yield grown, {}
        sharp = grown.filter(ImageFilter.UnsharpMask(radius=3, percent=180, threshold=2))
        yield sharp, {}
        for angle in (45, -45):
            turned = sharp.rotate(angle, expand=True, resample=Image.BICUBIC, fillcolor=255)
            yield turned, {}
        yield sharp, {"binarizer": zxingcpp.Binarizer.GlobalHistogram}
    for angle in (45, -45):
        yield image.rotate(angle, expand=True, resample=Image.BILINEAR, fillcolor=255), {}
    yield image, {"try_invert": True}
    yield image, {"binarizer": zxingcpp.Binarizer.GlobalHistogram}
    yield image, {"formats": RARE_FORMATS}


def _densest(image, window: float = 0.4):
    """The part of the picture with the most edges (where a code is), a `window` of each side
    and a margin, or None for a picture too small to crop."""
    import numpy as np

    if min(image.size) < 200:
        return None
    small = image.copy()
    small.thumbnail((320, 320))
    pixels = np.asarray(small, dtype=np.float32)
    edges = np.abs(np.diff(pixels, axis=1))[:-1, :] + np.abs(np.diff(pixels, axis=0))[:, :-1]
    edges = (edges > 40).astype(np.float32)  # strong edges only: bars, not texture
    h, w = edges.shape
    wh, ww = max(1, int(h * window)), max(1, int(w * window))
    total = edges.cumsum(0).cumsum(1)
    total = np.pad(total, ((1, 0), (1, 0)))
    sums = total[wh:, ww:] - total[:-wh, ww:] - total[wh:, :-ww] + total[:-wh, :-ww]
    y, x = np.unravel_index(int(np.argmax(sums)), sums.shape)
    if sums[y, x] == 0:
        return None
    fx, fy = image.width / small.width, image.height / small.height
    margin = 0.1
    left = max(0, int((x - ww * margin) * fx))
    top = max(0, int((y - wh * margin) * fy))
    right = min(image.width, int((x + ww * (1 + margin)) * fx))
    bottom = min(image.height, int((y + wh * (1 + margin)) * fy))
    return image.crop((left, top, right, bottom))


# -- reading -----------------------------------------------------------------------------------


def _read(image, options: dict) -> list[Decoded]:
    import zxingcpp

    options = {"try_invert": False, **options}
    formats = zxingcpp.barcode_formats_from_str(options.pop("formats", FORMATS))
    out: list[Decoded] = []
    for barcode in zxingcpp.read_barcodes(image, formats=formats, **options):
        if not barcode.valid:
            continue
        name = barcode.format.name
        text = barcode.text.strip()
        if name == "UPCE":
            text = upc_a_of(text)
        if name in _GTIN_FORMATS and not _gtin_read(name, text):
            log.info("a %s with a wrong check digit was discarded", name)
            continue
        if text and Decoded(text, name) not in out:
            out.append(Decoded(text, name))
    return out


def _gtin_read(name: str, text: str) -> bool:
    """An EAN/UPC or ITF-14 read must carry a right check digit; other ITF (not a GTIN) is
    refused outright, it is too easily misread."""
    if name == "ITF":
        return len(text) == 14 and valid_gtin(text)
    return valid_gtin(text)


def upc_a_of(upc_e: str) -> str:
    """The UPC-A a UPC-E (8 digits: number system, 6 digits, check digit) stands for."""
    if len(upc_e) != 8 or not upc_e.isdigit():
        return upc_e
    system, d, check = upc_e[0], upc_e[1:7], upc_e[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return system + body + check
