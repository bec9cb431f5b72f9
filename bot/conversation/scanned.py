"""Codes read from a photo (扫码), from any channel: the adapter decodes the picture and hands
the codes and the photo's caption to `Conversation.handle` as a `Scanned`.

Each code is looked up (`domain.ledger.codes.item_by_code`). No code read: advice to take the photo
again, never a guess. A photo without a caption answers the item and its stock; with a caption
that is a command without its item (`入库 20`, `盘点 95`, `ACME 要 20`), the item read is put in
and the message goes on exactly as if it had been typed so: dry run, confirmation, role checks,
idempotency. A command needs exactly one item in the photo; an unknown code is answered with its
digits and "not in the item list".
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.proposals import joined
from bot.conversation.storage import Turn
from bot.parse import ParseResult, parse
from bot.render.reply import Reply, t
from bot.waiting_words import prefixed
from domain.ledger.codes import CodeMatch, item_by_code
from domain.messages.commands import QueryStock

# Intents with an item slot, which a caption may leave for the photo to fill.
ITEM_INTENTS = frozenset(
    {"stock.query", "stock.receive", "stock.issue", "stock.transfer", "stock.count",
     "sales.create", "purchase.create", "price.query", "forecast", "labels",
     "sales.return", "purchase.return", "sales.amend", "purchase.amend"}
)  # fmt: skip
# A caption naming an item of its own that the catalogue does not know is asked about as typed.
_NAMED_ITS_OWN = {"unknown_item", "ambiguous_name"}


@dataclass(frozen=True)
class Scanned:
    """The codes read from one photo (in reading order; none when nothing could be read) and
    its caption ("" when it has none)."""

    codes: tuple[str, ...] = ()
    caption: str = ""


def advice(lang: str) -> str:
    return t(
        lang,
        "No barcode or QR code could be read in this photo. Move closer, add more light and "
        "hold the phone flat over the code, then send it again.",
        "这张照片里没有读到条码或二维码。请靠近一些、光线亮一些、手机与条码保持平行，再拍一次。",
    )


def not_fetched(lang: str, why: str = "") -> str:
    """The answer when the picture could not be fetched or is no picture at all (nothing was
    done; the photo may be sent again)."""
    if why == "not an image":
        return t(
            lang,
            "That file is not a picture I can read. Send a photo (JPEG or PNG) of the code.",
            "这个文件不是我能读取的图片。请发送条码的照片（JPEG 或 PNG）。",
        )
    return t(
        lang,
        "I could not fetch that photo; nothing was done. Please send it again.",
        "没能取到这张照片，没有做任何操作。请再发一次。",
    )


def read_line(match: CodeMatch, lang: str) -> str:
    """What one code is: the item it names, or its digits and that it is not in the list."""
    if match.item is None:
        return t(
            lang,
            f"{match.code}: not in the item list.",
            f"{match.code}：不在物品清单中。",
        )
    item = match.item
    name = (item.name_zh or item.name) if lang == "zh" else (item.name or item.name_zh)
    what = f"{item.sku} {name}".strip()
    if match.carton:
        return t(
            lang,
            f"{match.code}: a carton of {what}. Quantities are counted in {item.uom}, not cartons.",
            f"{match.code}：{what} 的整箱条码。数量按{item.uom}计，不按箱计。",
        )
    if match.code.upper() == item.sku.upper():
        return t(lang, f"Scanned {what}", f"扫码：{what}")
    return t(lang, f"Scanned {match.code}: {what}", f"扫码 {match.code}：{what}")


def with_item(caption: str, sku: str, catalog, today) -> str:
    """The message the caption stands for once the photo's item is in it: the caption as
    typed when its command names an item already (or is no command that takes one)."""
    if not caption:
        return sku
    alone = parse(caption, catalog, today)
    if alone.command is not None:
        shape = alone.command.to_dict()
        named = shape.get("item") or any(line.get("item") for line in shape.get("lines", []))
        if named or alone.intent not in ITEM_INTENTS:
            return caption
    elif alone.error is not None and alone.error.code in _NAMED_ITS_OWN:
        return caption
    return f"{caption} {sku}"


class Scans:
    """The photo half of `Conversation` (it provides `_handle`, `_parsed`, `_answered`,
    `catalogs`, `bus` and `clock`)."""

    def _scanned(self, turn: Turn, scan: Scanned) -> Reply:
        lang, caption = turn.lang, scan.caption.strip()
        not_done = (
            t(lang, f"Nothing was done with “{caption}”.", f"“{caption}”未执行。")
            if caption
            else ""
        )
        if not scan.codes:
            return Reply(f"{advice(lang)}\n{not_done}".strip(), lang, ok=False)
        matches = [item_by_code(turn.uow, code) for code in dict.fromkeys(scan.codes)]
        items = list(dict.fromkeys(m.sku for m in matches if m.item is not None))
        lines = [read_line(m, lang) for m in matches]
        if len(items) != 1:
            if len(items) > 1 and caption:
                not_done = t(
                    lang,
                    f"Several items in one photo, so “{caption}” was not done: photograph one "
                    "code at a time.",
                    f"一张照片里有多个物品，“{caption}”未执行：请一次只拍一个条码。",
                )
            answers = [
                self._answered(self.bus.ask(QueryStock(item=sku), turn.user, turn.uow), lang)
                for sku in items
            ]
            reply = joined([Reply("\n".join(lines), lang, ok=bool(items)), *answers], lang)
            return prefixed(reply, not_done, after=True)
        (sku,) = items
        catalog = self.catalogs.get(turn.uow)
        if not caption and turn.waiting is None:
            query = ParseResult(QueryStock(item=sku), None, lang, "stock.query")
            reply = self._parsed(turn, sku, query)
        else:
            # As if typed: an answer to what waits ("which item?"), or the caption's command.
            reply = self._handle(turn, with_item(caption, sku, catalog, self.clock.today()))
        return prefixed(reply, "\n".join(lines))
