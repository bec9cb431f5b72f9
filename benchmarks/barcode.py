"""Codes read from phone photos (扫码): `python benchmarks/barcode.py [--quick] [decode] [rate]
[telegram] [slack]`.

Prints one `name=value` line per figure, each with its target where the design gives one.

decode: seconds to read one photo of 1, 2 and 3 megapixels (a code pasted on a textured
background, turned, blurred or noisy, as JPEG), p50 and p99 over all sizes; target p50 < 0.150 s.

rate: the share of the generated set read correctly (the troubles of `tests/photos.py`: rotated,
upside down, small in the frame, large, noisy, blurred, dim, low JPEG quality), EAN-13 and QR;
target ≥ 95 % of the rotated, scaled and noisy images; a wrong code read is counted separately
(it must be 0).

telegram / slack: a photo sent → the reply out, over loopback, with the adapter started as
`jxc serve` starts it against the tests' fake platform server (Telegram: the update queued at
the fake until the sendMessage arrives, download included; Slack: the signed `file_share` event
posted until the chat.postMessage arrives), p50 and p95 in seconds; the design's limit is 10 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.barcodes import decode  # noqa: E402
from benchmarks.chat import _percentile, demo_app  # noqa: E402
from benchmarks.common import run_sections  # noqa: E402
from tests.photos import Shot, code_image, generated_set, photo, with_check_digit  # noqa: E402

SIZES = {"1MP": (1152, 864), "2MP": (1632, 1224), "3MP": (2048, 1536)}
SHOTS = [
    Shot(),
    Shot(angle=20),
    Shot(angle=90, blur=0.8),
    Shot(scale=0.6, noise=10),
    Shot(angle=35, noise=15),
    Shot(light=0.5, quality=50),
]
# The troubles the design's target names: turned, scaled and noisy.
TARGETED = {
    "rotated 10°", "rotated 25°", "rotated 40°", "rotated 90°", "upside down",
    "small in frame", "large", "noisy", "rotated small noisy",
}  # fmt: skip


def decode_section(quick: bool) -> dict[str, str]:
    """Seconds per photo of 1–3 MP (p50, p99), decoding only."""
    per_size = 4 if quick else 20
    times: list[float] = []
    missed = 0
    for n in range(per_size):
        ean = with_check_digit(f"69{n:010d}")
        for kind, content in (("ean13", ean), ("qr", f"SKU-{n:04d}")):
            code = code_image(content, kind, module=3 if kind == "ean13" else 6)
            for name, size in SIZES.items():
                shot = SHOTS[(n + len(name)) % len(SHOTS)]
                data = photo(code, Shot(**{**shot.__dict__, "size": size}), seed=n)
                start = time.perf_counter()
                found = decode(data)
                times.append(time.perf_counter() - start)
                missed += not any(c.text == content for c in found)
    return {
        "decode_photos": str(len(times)),
        "decode_p50_s": f"{statistics.median(times):.4f} (target < 0.150)",
        "decode_p99_s": f"{_percentile(times, 0.99):.4f}",
        "decode_missed": str(missed),
    }


def rate_section(quick: bool) -> dict[str, str]:
    """The share of the generated set read, overall and of the targeted troubles."""
    photos = generated_set(count=3 if quick else 10)
    read, total, wrong = Counter(), Counter(), 0
    for trouble, _kind, content, data in photos:
        found = decode(data)
        total[trouble] += 1
        read[trouble] += any(c.text == content for c in found)
        wrong += any(c.text != content for c in found)
    targeted = sum(read[t] for t in TARGETED) / sum(total[t] for t in TARGETED)
    out = {
        "rate_photos": str(len(photos)),
        "rate_all": f"{sum(read.values()) / len(photos):.3f}",
        "rate_rotated_scaled_noisy": f"{targeted:.3f} (target >= 0.95)",
        "rate_wrong_codes": f"{wrong} (must be 0)",
    }
    for trouble in total:
        out[f"rate[{trouble}]"] = f"{read[trouble]}/{total[trouble]}"
    return out


def _photo() -> bytes:
    code = code_image("6900010000004", "ean13")
    return photo(code, Shot(angle=15, size=SIZES["2MP"]), seed=1)


def telegram_section(quick: bool) -> dict[str, str]:
    """A photo sent to the bot → its answer sent, over loopback."""
    from adapters.telegram import make_part
    from tests.e2e.fake_telegram import FakeTelegram, LoopThread

    rounds = 5 if quick else 30
    picture = _photo()
    fake = FakeTelegram().start()
    loop = LoopThread()
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder), telegram_token=fake.token, telegram_api_url=fake.url)
        part = make_part(app)
        loop.run(part.start())
        try:
            latencies = []
            for n in range(1, rounds + 1):
                start = time.perf_counter()
                fake.send_photo_from(1003, picture)
                fake.wait_for("sendMessage", n, chat_id=1003)
                latencies.append(time.perf_counter() - start)
            answer = fake.sent("sendMessage", 1003)[-1].params["text"].splitlines()[0]
        finally:
            loop.run(part.stop())
            loop.close()
            fake.stop()
            app.engine.dispose()
    return {
        "telegram_photo_reply_p50_s": f"{statistics.median(latencies):.4f} (limit 10)",
        "telegram_photo_reply_p95_s": f"{_percentile(latencies, 0.95):.4f}",
        "telegram_photo_answer": answer,
    }


def slack_section(quick: bool) -> dict[str, str]:
    """An image shared in a Slack DM → the answer posted, over loopback."""
    import asyncio
    import threading

    from adapters.slack import make_part
    from tests.e2e.fake_slack import (
        FakeSlack,
        event_body,
        file_share,
        free_port,
        post,
        signed_headers,
    )

    secret, token = "bench-signing-secret", "xoxb-bench"
    rounds = 5 if quick else 30
    picture = _photo()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="slack-bench", daemon=True)
    thread.start()

    def run(coro):
        return asyncio.run_coroutine_threadsafe(coro, loop).result(120)

    with FakeSlack() as fake, tempfile.TemporaryDirectory() as folder:
        port = free_port()
        app = demo_app(
            Path(folder),
            slack_bot_token=token,
            slack_signing_secret=secret,
            slack_api_url=fake.api_url,
            slack_port=port,
        )
        part = make_part(app)
        run(part.start())
        url = f"http://127.0.0.1:{port}/slack/events"
        try:
            latencies = []
            for n in range(1, rounds + 1):
                shared = fake.add_file(picture, token=token)
                # One channel, so each post waits for Slack's pace of about one a second.
                time.sleep(1.0)
                body = event_body(file_share("U0MARY", "", [shared]), f"EvPhoto{n}")
                start = time.perf_counter()
                status, _ = post(url, body, signed_headers(secret, body))
                assert status == 200, status
                fake.wait_for("chat.postMessage", n)
                latencies.append(time.perf_counter() - start)
            answer = fake.of("chat.postMessage")[-1].args["text"].splitlines()[0]
        finally:
            run(part.stop())
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            app.engine.dispose()
    return {
        "slack_photo_reply_p50_s": f"{statistics.median(latencies):.4f} (limit 10)",
        "slack_photo_reply_p95_s": f"{_percentile(latencies, 0.95):.4f}",
        "slack_photo_answer": answer,
    }


SECTIONS = {
    "decode": decode_section,
    "rate": rate_section,
    "telegram": telegram_section,
    "slack": slack_section,
}


def main(argv: list[str] | None = None) -> int:
    return run_sections(__doc__, SECTIONS, "Fewer photos (a smoke run).", argv)


if __name__ == "__main__":
    sys.exit(main())
