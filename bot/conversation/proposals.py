"""Proposals: a write is dry-run, summarised and stored to wait for yes; yes runs it under the
key made when it was proposed, and the confirmation ends in the command's own transaction."""

from __future__ import annotations

import uuid
from dataclasses import replace

from bot.conversation.storage import UNCHANGED, Turn
from bot.render.errors import error_reply
from bot.render.proposals import summarize
from bot.render.reply import Reply, confirmation_buttons, t
from bot.render.results import result_reply
from bot.short_lines import kept_after_refusal, servable
from bot.waiting import CONFIRM, REFUSED, Waiting
from domain.errors import InsufficientStock, JxcError
from domain.messages.conversations import save_state


class Proposals:
    """The proposing half of `Conversation` (it holds `bus`, `uow_factory` and `clock`)."""

    def _propose(self, turn: Turn, writes, answers, left_out) -> Reply:
        """Dry-run every write; propose those that would succeed as one confirmation and say
        exactly what was left out and why. Dry runs, summaries and the stored proposal share
        one write transaction. A sales order short of some lines is proposed with the lines
        stock can serve; a write refused for stock that other warehouses hold is kept, so the
        next message can name one of them."""
        user, lang = turn.user, turn.lang
        proposals, refused, short, kept = [], [], [], None
        turn.release()
        with self.uow_factory(write=True) as uow:
            for command, cmd in writes:
                try:
                    preview = self.bus.preview(cmd, user, uow)
                except InsufficientStock as exc:
                    served = servable(uow, command, cmd)
                    if served is None:
                        refused.append(error_reply(exc, lang).text)
                        if len(writes) == 1:
                            if kept_after_refusal(uow, command, cmd) is not None:
                                kept = cmd
                        continue
                    command, cmd, lacking = served
                    try:
                        preview = self.bus.preview(cmd, user, uow)
                    except JxcError as again:
                        refused.append(error_reply(again, lang).text)
                        continue
                    short += [e.zh if lang == "zh" else e.message for e in lacking]
                except JxcError as exc:
                    refused.append(error_reply(exc, lang).text)
                    continue
                proposals.append((cmd, summarize(uow, cmd, preview, lang)))
            if not proposals:
                texts = [a.text for a in answers] + refused
                reply = Reply("\n".join(texts), lang, ok=False)
                if kept is not None:
                    turn.wait(Waiting(REFUSED, self.clock.now(), asked=refused[0], command=kept))
                if turn.new_state is not UNCHANGED or turn.delivery is not None:
                    if turn.new_state is not UNCHANGED:
                        save_state(uow, user.name, turn.channel, turn.new_state)
                    turn.write(uow)
                    uow.commit()
                    turn.stored()
                return with_left_out(reply, left_out, lang)
            summary = "\n".join(text for _, text in proposals)
            if len(proposals) > 1:
                summary = (
                    t(
                        lang,
                        f"{len(proposals)} commands, confirmed together:\n",
                        f"共 {len(proposals)} 条指令，一并确认：\n",
                    )
                    + summary
                )
            waiting = Waiting(
                CONFIRM,
                self.clock.now(),
                proposal=uuid.uuid4().hex[:10],
                pending=[c for c, _ in proposals],
                keys=[f"chat:{uuid.uuid4()}" for _ in proposals],
                summary=summary,
            )
            save_state(uow, user.name, turn.channel, waiting.to_state())
            turn.write(uow)
            uow.commit()
        turn.stored()
        turn.waiting = waiting
        notes = (
            [t(lang, f"Short, left out: {why}", f"缺货，未包含：{why}") for why in short]
            + [t(lang, f"Left out: {why}", f"未包含：{why}") for why in refused]
            + [
                t(lang, f"Left out (not understood): “{frag}”", f"未包含（没看懂）：“{frag}”")
                for frag in left_out
            ]
        )
        text = "\n".join([*(a.text for a in answers), summary, *notes])
        return Reply(text, lang, buttons=confirmation_buttons(waiting.proposal))

    def _answer(self, turn: Turn, yes: bool) -> Reply:
        user, lang, w = turn.user, turn.lang, turn.waiting
        if w is None or w.kind != CONFIRM:
            return Reply(
                t(
                    lang,
                    "There is nothing waiting for your confirmation.",
                    "目前没有需要您确认的操作。",
                ),
                lang,
                ok=False,
            )
        if w.expired(self.clock.now()):
            turn.wait(None)
            return Reply(
                t(
                    lang,
                    "That confirmation expired (10 minutes); please send the command again.",
                    "确认已超时（10 分钟），请重新发送指令。",
                ),
                lang,
                ok=False,
            )
        if not yes:
            turn.wait(None)
            return Reply(
                t(lang, "Cancelled; nothing was changed.", "已取消，没有做任何更改。"), lang
            )
        # The last command clears the confirmation in its own transaction; if the process dies
        # before, "yes" again replays the keys and nothing runs twice.
        last = len(w.pending) - 1

        def clear(uow):
            save_state(uow, user.name, turn.channel, None)
            turn.write(uow)

        replies = []
        turn.new_state = UNCHANGED
        turn.release()
        for n, (command, key) in enumerate(zip(w.pending, w.keys, strict=True)):
            also = clear if n == last else None
            try:
                result = self.bus.execute(command, user, key=key, also=also)
                if also is not None:
                    turn.stored()
            except JxcError as exc:
                replies.append(error_reply(exc, lang))
                continue
            replies.append(result_reply(result, lang))
        return replies[0] if len(replies) == 1 else joined(replies, lang)


def joined(replies: list[Reply], lang: str) -> Reply:
    return Reply("\n".join(r.text for r in replies), lang, ok=all(r.ok for r in replies))


def with_left_out(reply: Reply, left_out: list[str], lang: str) -> Reply:
    if not left_out:
        return reply
    notes = "\n".join(
        t(lang, f"Left out (not understood): “{f}”", f"未包含（没看懂）：“{f}”") for f in left_out
    )
    return replace(reply, text=f"{reply.text}\n{notes}")
