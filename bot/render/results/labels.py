"""The answer to `labels`: which items' labels the sheet holds (the PDF itself is drawn by the
edges and travels as the reply's document)."""

from __future__ import annotations

from bot.render.reply import Reply
from bot.render.results.base import result_reply
from domain.ledger.labels import LabelSheet

SHOWN = 10  # SKUs named in the text; the rest are counted


@result_reply.register(LabelSheet)
def _labels(r: LabelSheet, lang: str) -> Reply:
    """How many labels, for which items (the first few named)."""
    skus = [label.sku for label in r.labels]
    named = ", ".join(skus[:SHOWN])
    more = len(skus) - SHOWN
    if lang == "zh":
        rest = f" 等（另有 {more} 个）" if more > 0 else ""
        return Reply(f"{len(skus)} 个物品的二维码标签：{named.replace(', ', '、')}{rest}。", lang)
    rest = f" and {more} more" if more > 0 else ""
    noun = "item" if len(skus) == 1 else "items"
    return Reply(f"QR labels for {len(skus)} {noun}: {named}{rest}.", lang)
