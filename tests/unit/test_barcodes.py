"""Reading codes from phone-like photos: the generated set (rotated, scaled, blurred, noisy, on a
background, JPEG) is read at the rate the design asks, a photo without a code gives nothing (no
phantom code), and a GTIN whose check digit fails is never returned."""

from __future__ import annotations

from collections import Counter

import pytest

from adapters.barcodes import NotAnImage, decode, upc_a_of
from tests.photos import Shot, blank_photo, code_image, generated_set, photo


@pytest.fixture(scope="module")
def photos():
    return generated_set(count=2)


def test_at_least_95_percent_of_the_phone_like_photos_are_read(photos):
    read, missed = Counter(), []
    for trouble, kind, content, data in photos:
        codes = decode(data)
        assert all(c.text == content for c in codes), (trouble, kind, codes)  # never a wrong one
        if codes:
            read[trouble] += 1
        else:
            missed.append((trouble, kind))
    rate = sum(read.values()) / len(photos)
    assert rate >= 0.95, f"read {rate:.0%}; missed {missed}"
    for trouble in ("straight", "rotated 40°", "upside down", "small in frame", "noisy"):
        assert read[trouble] >= 3, (trouble, missed)


def test_a_photo_without_a_code_reads_nothing():
    assert decode(blank_photo()) == []


def test_bytes_that_are_no_picture_are_said_to_be_so():
    with pytest.raises(NotAnImage):
        decode(b"%PDF-1.4 not a photo")


def test_a_carton_code_whose_check_digit_fails_is_discarded():
    good = decode(photo(code_image("12345678901231", "itf14"), Shot(size=(1200, 900))))
    assert [(c.text, c.format) for c in good] == [("12345678901231", "ITF")]
    assert decode(photo(code_image("12345678901234", "itf14"), Shot(size=(1200, 900)))) == []


def test_a_upc_a_is_read_as_its_ean_13_and_a_qr_as_its_text():
    (upc,) = decode(photo(code_image("012345000065", "upca"), Shot(angle=12, size=(1200, 900))))
    assert upc.text == "0012345000065"
    (qr,) = decode(photo(code_image("M6-20", "qr", module=5), Shot(angle=30, size=(1200, 900))))
    assert (qr.text, qr.format) == ("M6-20", "QRCode")


def test_a_data_matrix_is_read_when_nothing_commoner_is_found():
    (code,) = decode(photo(code_image("M8-30", "datamatrix", module=8), Shot(size=(1200, 900))))
    assert (code.text, code.format) == ("M8-30", "DataMatrix")


def test_two_codes_in_one_photo_are_both_read():
    from PIL import Image

    left, right = code_image("6900010000004", "ean13"), code_image("M8-30", "qr", module=6)
    both = Image.new("L", (left.width + right.width + 80, max(left.height, right.height)), 255)
    both.paste(left, (0, 0))
    both.paste(right, (left.width + 80, 0))
    codes = decode(photo(both, Shot(size=(1600, 1200))))
    assert sorted(c.text for c in codes) == ["6900010000004", "M8-30"]


def test_a_upc_e_stands_for_its_upc_a():
    assert upc_a_of("01234565") == "012345000065"
    assert upc_a_of("04252614") == "042100005264"
