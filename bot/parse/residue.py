"""What is left of a text once every known word is taken: an unknown name, or a reason."""

from __future__ import annotations

import re

from bot.catalog import fold
from bot.parse import cues
from bot.parse.scan import MASK, Scan

_STOP_EN = (
    "the a an of to from for at in into on with and or please pls plz we us our ours i me my you "
    "your do does did have has had is are was were be been can could would will shall some any "
    "this that these those it its them they their new each per unit units piece pieces qty "
    "quantity item items product products by via hi hey hello ok okay thanks thank just now also "
    "more need needs want wants customer client supplier vendor warehouse wh store order orders "
    "stock stocks sell sold buy bought how many much what which where when who is there left "
    "still show list tell give get me all total count please kindly urgent asap today today's "
    "let see look up lookup about info details detail number no yes ship out up down off back "
    "because due reason tomorrow urgently urgent asap same as so then next last days day week weeks month months report cost price at of one "
    "here arrived arrive came goods pcs"
).split()
_STOP = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, set(_STOP_EN)), key=len, reverse=True)) + r")\b"
    r"|'s\b|[的了吗呢吧啊呀嘛哦喔请帮我你您给把从到向跟在和还有要是们这那些再又都也就先共麻烦谢下里个去来用"
    r"查看问数量多少几剩现在目前一下总仓库买订拿送发进出入卖货啥]|什么|哪些"
)
_PUNCT = re.compile(r"[\s,.;:!?'\"()\[\]{}<>/\\|@#$%^&*+=~`，。；：！？、“”‘’（）【】《》…·\-_]+")
_CUE_RES = [v for k, v in vars(cues).items() if k.isupper() and isinstance(v, re.Pattern)]
_CHUNK = re.compile(rf"[^\s{MASK}]+(?:\s+[^\s{MASK}]+)*")
_PARTNER_MARK = re.compile(r"(?:\bto\b|\bfrom\b|\bfor\b|给|向|从|跟|卖给|找)\s*$")
_WAREHOUSE_MARK = re.compile(r"(?:\bto\b|\bfrom\b|\binto\b|\bat\b|\bin\b|到|从|在|去|往|入)\s*$")


def chunks(s: Scan) -> list[tuple[int, str]]:
    """Unexplained runs of text, with their start, after removing cues, stop words and
    punctuation."""
    text = s.masked
    for rx in (*_CUE_RES, _REASON_NOUN, _DESTINATION):
        text = rx.sub(lambda m: MASK * len(m.group(0)), text)
    text = _STOP.sub(lambda m: MASK * len(m.group(0)), text)
    text = _PUNCT.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for m in _CHUNK.finditer(text):
        raw = s.base[m.start() : m.end()].strip()
        if raw and not raw.isdigit():
            out.append((m.start(), raw))
    return out


def partner_chunk(s: Scan, found: list[tuple[int, str]]) -> tuple[int, str] | None:
    for start, raw in found:
        if _PARTNER_MARK.search(s.text[:start]):
            return start, raw
    return None


def warehouse_chunk(s: Scan, found: list[tuple[int, str]]) -> tuple[int, str] | None:
    for start, raw in found:
        if _WAREHOUSE_MARK.search(s.text[:start]) or s.text[start + len(raw) :].startswith(
            ("仓", " warehouse")
        ):
            return start, raw
    return None


# "送到上海仓", "deliver to their Shanghai site": where the goods go, not a warehouse of ours
DESTINATION = (
    r"(?:送到|送去|送往|送至|发到|发往|运到|运往|\bdeliver(?:ed)? to\b|\bship(?:ped)? to\b)"
)
_DESTINATION = re.compile(
    rf"{DESTINATION}[^,，;；。\s]*|\bdeliver(?:ed)? to (?:their |the )?\w+(?: \w+)?"
)
_REASON_MARK = re.compile(
    r"(?:\bbecause(?: of)?(?![a-z])|\bdue to(?![a-z])|\breason\s*(?:is|:)?|\bas\b|原因\s*(?:是|:)?|理由\s*(?:是|:)?|"
    r"因为|由于|用于|用来)\s*"
)
_FOR_MARK = re.compile(r"\bfor\b\s*")
_REASON_NOUN = re.compile(
    r"质量(?:有问题|问题|不好|不合格|不行|差)|漏水|有裂纹|破损|损坏|坏了|过期|不合格|发错了?|错发|多发了?|有瑕疵|瑕疵|不要了|退单|"
    r"\b(?:damaged|broken|defective|faulty|wrong (?:items?|size|model)|expired|leaking|leaks|cracked|quality (?:issues?|"
    r"problems?)|not needed|too many|excess)\b"
)


def reason(s: Scan, *, allow_for: bool = False, after: int | None = None) -> str | None:
    """An explicit reason: after `because`/`原因`/`因为`… (or `for` when allowed), a known
    complaint (`damaged`, `质量问题`), or, when `after` is given, the rest of the text."""
    marks = [_REASON_MARK] + ([_FOR_MARK] if allow_for else [])
    for rx in marks:
        for m in rx.finditer(s.masked):
            found = _until_mask(s, m.end())
            if found:
                return found
    m = _REASON_NOUN.search(s.masked)
    if m:
        found = _until_mask(s, m.start())
        verb = cues.RETURN.search(fold(found), m.end() - m.start())
        return found[: verb.start()].strip(" ,，.。;；") if verb else found
    if after is not None:
        rest = _until_mask(s, after, allow_mask=True)
        return rest or None
    return None


def _until_mask(s: Scan, start: int, allow_mask: bool = False) -> str:
    end = len(s.masked) if allow_mask else s.masked.find(MASK, start)
    end = len(s.masked) if end < 0 else end
    text = s.base[start:end].strip(" ,，.。:：;；!！?？-—").strip()
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
