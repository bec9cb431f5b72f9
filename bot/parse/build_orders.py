"""The builders of the commands that change the ledger: stock moves (receive, issue, transfer,
count), orders (create, receive or ship in full or in part, cancel, return) and amendments."""

from __future__ import annotations

import re

from bot.catalog import ResolveError
from bot.parse import residue
from bot.parse.slots import Builder, Filler, SlotError, group_numbers, put

_FROM = re.compile(r"(?:\bfrom\b|从|由|自)\s*$")
_TO = re.compile(r"(?:\bto\b|\binto\b|->|→|到|去|往|至|调到|调往|移到|转到|入)\s*$")


def _single_qty(f: Filler, slot: str, zero_ok: bool = False) -> str:
    items = f.items()
    if not f.s.qtys:
        raise SlotError("missing_slot", slot=slot)
    return f.qty(f.s.qtys[0], items[0] if items else None, zero_ok=zero_ok)


def stock_receive(f: Filler) -> dict:
    item = f.item()
    cmd = {"item": item, "qty": _single_qty(f, "qty")}
    costs = f.s.prices or f.s.money
    if costs:
        cmd["unit_cost"] = f.money(costs[0], "unit_cost")
    return put(cmd, "warehouse", f.warehouse())


def stock_issue(f: Filler) -> dict:
    cmd = {"item": f.item(), "qty": _single_qty(f, "qty")}
    put(cmd, "warehouse", f.warehouse())
    return put(cmd, "reason", residue.reason(f.s, allow_for=True))


def stock_transfer(f: Filler) -> dict:
    cmd = {"item": f.item(), "qty": _single_qty(f, "qty")}
    src = dst = None
    rest = []
    for m in f.warehouses():
        before = f.s.text[: m.start]
        if _FROM.search(before) and src is None:
            src = m
        elif _TO.search(before) and dst is None:
            dst = m
        else:
            rest.append(m)
    for m in rest:
        if src is None and (dst is None or m.start < dst.start):
            src = m
        elif dst is None:
            dst = m
    for slot, found in (("from", src), ("to", dst)):
        if found is None:
            chunk = residue.warehouse_chunk(f.s, f.chunks)
            if chunk:
                try:
                    f.catalog.resolve_warehouse(chunk[1])
                except ResolveError as err:
                    raise SlotError(err.code, err.suggestions, slot, name=chunk[1]) from err
            raise SlotError("missing_slot", slot=slot)
        cmd[slot] = found.entities[0].code
    return cmd


def stock_count(f: Filler) -> dict:
    cmd = {"item": f.item(), "counted_qty": _single_qty(f, "counted_qty", zero_ok=True)}
    return put(cmd, "warehouse", f.warehouse())


def purchase_create(f: Filler) -> dict:
    supplier = f.partner("supplier", "supplier")
    cmd = {"supplier": supplier, "lines": f.lines()}
    return put(cmd, "warehouse", f.warehouse())


def sales_create(f: Filler) -> dict:
    customer = f.partner("customer", "customer")
    cmd = {"customer": customer, "lines": f.lines(discount=True)}
    return put(cmd, "warehouse", f.warehouse(outgoing=True))


def purchase_cancel(f: Filler) -> dict:
    return put({"order": f.order("PO")}, "reason", residue.reason(f.s))


def sales_cancel(f: Filler) -> dict:
    return put({"order": f.order("SO")}, "reason", residue.reason(f.s))


def order_return(prefix: str) -> Builder:
    def build(f: Filler) -> dict:
        order = f.order(prefix)
        cmd = {"order": order, "lines": f.lines(prices=False)}
        return put(cmd, "reason", residue.reason(f.s))

    return build


# -- partial receipts and shipments, amending orders ----------------------------------------

# "扎带没到", "cable ties didn't come", "no cable ties": an item named as missing from a delivery.
_NOT_CAME_AFTER = re.compile(
    r"^\s*(?:还|也|都)?(?:没到|没来|未到|没有到|没收到|没发|没有来|缺货|缺)|"
    r"^\s*(?:did ?n[o']t|did not|has ?n[o']t|have ?n[o']t|not|never)\s+(?:yet\s+)?"
    r"(?:come|came|arrive|arrived|show(?:ed)? up)|^\s*(?:missing|short|to follow)\b"
)
_NOT_CAME_BEFORE = re.compile(r"(?:\bno|\bwithout|\bminus|没有|没|缺)\s*$")


def _drop_missing(f: Filler) -> None:
    """Leave out the items a receipt or shipment says did not come ("扎带没到")."""
    s = f.s
    kept = []
    for m in s.mentions:
        if m.kind == "item" and (
            _NOT_CAME_AFTER.search(s.text[m.end :]) or _NOT_CAME_BEFORE.search(s.text[: m.start])
        ):
            continue
        kept.append(m)
    s.mentions = kept


def part_of_order(prefix: str, warehouse_out: bool) -> Builder:
    def build(f: Filler) -> dict:
        cmd: dict = {"order": f.order(prefix)}
        _drop_missing(f)
        if f.items():  # "PO-0031 先收 M6 2000 个", "SO-0007 先发 M6 10 个": part of the order
            cmd["lines"] = f.lines(prices=False)
        return put(cmd, "warehouse", f.warehouse(outgoing=warehouse_out))

    return build


def amend(prefix: str) -> Builder:
    """`SO-0299 改成 50 个` (the item left to the service), `actually make SO-0304 5 drills not
    3`, `SO-0007 去掉胶带` (qty 0), `SO-0007 加 20 卷胶带`, `change PO-0012 M6 to 800`."""
    from bot.parse.cues import AMEND_NOT, REMOVE

    def build(f: Filler) -> dict:
        order = f.order(prefix)
        s = f.s
        olds = [m.end() for m in AMEND_NOT.finditer(s.masked)]
        s.qtys = [q for q in s.qtys if not any(0 <= q.start - end <= 2 for end in olds)]
        items = f.items()
        if not items:
            f.unknown_item(required=False)
            if not s.qtys:
                raise SlotError("missing_slot", slot="lines")
            return {"order": order, "lines": [{"qty": f.qty(s.qtys[0], None, zero_ok=True)}]}
        removing = bool(REMOVE.search(s.masked))
        pools = {"qty": list(s.qtys), "price": list(s.prices), "discount": list(s.discounts)}
        lines = []
        for m, got in zip(items, group_numbers(s, items, pools), strict=True):
            line = {"item": m.entities[0].sku}
            if got["qty"]:
                line["qty"] = f.qty(got["qty"][0], m, zero_ok=True)
            elif removing:
                line["qty"] = "0"
            else:
                raise SlotError("missing_slot", slot="qty", name=m.text)
            if got["price"]:
                line["price"] = f.money(got["price"][0], "price")
            if prefix == "SO" and got["discount"]:
                line["discount"] = f.discount(got["discount"][0])
            lines.append(line)
        return {"order": order, "lines": lines}

    return build
