"""How text names things, as the catalog compares names: a normalised, folded form of a text
(case-, width- (NFKC) and simplified/traditional- (OpenCC t2s) insensitive), the forms a name
is also typed in (the singular and plural of the last English word, `bolts` -> `bolt`), and
the distinctive parts of a name, the way people shorten it: a warehouse without its generic
word (`Guangzhou warehouse` / `广州仓` -> `guangzhou` / `广州`), a partner without its company
suffix (`有限公司`, `Co. Ltd`) or trade, an item by its head noun (`brass ball valve` ->
`valve`, `ball valve`; `自攻螺丝` -> `螺丝`) and the everyday word for it (`螺丝` for a
`螺钉`/`螺栓`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import opencc

from domain.language import CJK, has_cjk

_T2S = opencc.OpenCC("t2s")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_CJK_SPACE = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")


def normalise(text: str) -> str:
    """Width-fold (NFKC), convert traditional to simplified, collapse spaces, drop spaces beside
    CJK characters and thousands separators. Case is kept (see `fold`): reasons keep their case."""
    text = unicodedata.normalize("NFKC", text)
    text = _T2S.convert(text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _SPACES.sub(" ", text).strip()
    return _CJK_SPACE.sub("", text)


def fold(text: str) -> str:
    """Lower-case ASCII letters only, so positions stay aligned with the normalised text."""
    return text.translate(_ASCII_LOWER)


def key_of(text: str) -> str:
    return fold(normalise(text))


def singular(word: str) -> str:
    """The singular of an English word (`bolts` -> `bolt`); anything else as it is."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("xes", "ches", "shes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _plural(word: str) -> str:
    if not word.isalpha() or len(word) < 2:
        return word
    if word.endswith(("x", "ch", "sh", "ss")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word if word.endswith("s") else word + "s"


def variants(key: str, *, name: bool) -> set[str]:
    """A key and the forms it is also typed in: a name without its hyphens, and with the
    singular and plural of its last English word."""
    out = {key}
    if name:
        if "-" in key:
            out.add(key.replace("-", " "))
            out.add(key.replace("-", ""))
        for k in list(out):
            head, _, last = k.rpartition(" ")
            if last.isascii() and last.isalpha():
                pre = head + " " if head else ""
                out.add(pre + singular(last))
                out.add(pre + _plural(last))
    return {k for k in out if k}


# Words that say what kind of place or firm a name is, not which one.
_WAREHOUSE_WORDS = re.compile(
    r"\b(?:warehouse|wh|depot|store|shop|godown|stockroom|dc)\b|仓库|仓|库房|门店|店|货仓"
)
_COMPANY_WORDS = re.compile(
    r"\b(?:co|company|corp|corporation|ltd|limited|inc|llc|gmbh|plc)\b\.?|"
    r"有限责任公司|股份有限公司|有限公司|公司|集团"
)
# What trade a firm is in, said after its name and dropped when people shorten it.
_TRADE_WORDS = re.compile(
    r"(?<=[\u3400-\u9fff]{2})(?:贸易|商贸|建设|建筑|建材|五金|工具|物流|包装|装饰|电气|电器|纸业|劳保|"
    r"实业|科技|批发|工贸|机电)+$"
)
_GENERIC_WORDS = {"size", "set", "sets", "kit", "with", "for", "and", "the", "of", "pcs", "pack",
                  "new", "type", "model", "mm", "cm"}  # fmt: skip
# Everyday words for a thing: 螺丝 is said for a screw or a bolt.
_EVERYDAY = {"螺钉": ("螺丝",), "螺栓": ("螺丝",), "螺丝钉": ("螺丝",)}
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def name_parts(kind: str, names: Iterable[str]) -> set[str]:
    """Distinctive parts of the names of an entity of `kind` ("item", "partner", "warehouse"),
    as folded keys: the way people shorten them."""
    out: set[str] = set()
    for raw in names:
        key = key_of(raw)
        if kind == "warehouse":
            out.add(_SPACES.sub(" ", _WAREHOUSE_WORDS.sub(" ", key)).strip())
        elif kind == "partner":
            short = _SPACES.sub(" ", _COMPANY_WORDS.sub(" ", key)).strip(" ,.&")
            out.add(short)
            # "深圳" for 深圳工具, "艾克米" for 艾克米贸易有限公司: people drop the trade word
            out.add(_TRADE_WORDS.sub("", short))
        else:
            out |= _item_parts(key)
    parts = {p for p in out if _long_enough(p)}
    for p in list(parts):
        for tail, words in _EVERYDAY.items():
            if p.endswith(tail):
                parts.update(words)
    return {v for p in parts for v in variants(p, name=True)}


def _item_parts(key: str) -> set[str]:
    out = set()
    words = [w for w in re.split(r"[\s,()]+", key) if w]
    words = [w for w in words if w.isalpha() and w.isascii() or "-" in w and not any(
        c.isdigit() for c in w)]  # fmt: skip
    words = [w for w in words if len(w) >= 3 and w not in _GENERIC_WORDS]
    if words:
        out.add(words[-1])
        if len(words) >= 2:
            out.add(" ".join(words[-2:]))
    for run in _CJK_RUN.findall(key):
        for n in (2, 3):
            if len(run) > n:
                out.add(run[-n:])
        if run != key:
            out.add(run)
    return out


def _long_enough(part: str) -> bool:
    if not part:
        return False
    return len(part) >= 2 if has_cjk(part) else len(part) >= 3
