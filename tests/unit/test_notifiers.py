"""Every notifier implements its whole port: the deliveries call `held`, `deliver` and `edit`
on any `Notifier` without asking first, and a `ChannelNotifier` calls `send_buttons` and `edit`
on any `ChatChannel`."""

from __future__ import annotations

import inspect

import pytest

from adapters.notify import (
    ChannelNotifier,
    ChatChannel,
    ConsoleNotifier,
    DirectNotifier,
    LogNotifier,
    Notifier,
    RecordingNotifier,
)


def _members(protocol) -> list[str]:
    return [
        name
        for name, value in vars(protocol).items()
        if callable(value) and not name.startswith("_")
    ]


def _params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


@pytest.mark.parametrize(
    "cls",
    [ConsoleNotifier, LogNotifier, RecordingNotifier, ChannelNotifier],
    ids=lambda c: c.__name__,
)
def test_every_notifier_implements_the_whole_port(cls):
    assert _members(Notifier) == ["send", "held", "deliver", "edit"]
    for name in _members(Notifier):
        implemented = getattr(cls, name)
        assert implemented is not getattr(Notifier, name), f"{cls.__name__}.{name}"
        assert _params(implemented) == _params(getattr(Notifier, name)), f"{cls.__name__}.{name}"
    if cls is not ChannelNotifier:
        assert cls.send is not DirectNotifier.send, f"{cls.__name__} sends nothing"


def test_every_chat_platform_implements_the_whole_channel_port():
    from adapters.slack.notifier import SlackNotifier
    from adapters.telegram.notifier import TelegramNotifier

    for cls in (SlackNotifier, TelegramNotifier):
        for name in _members(ChatChannel):
            implemented = getattr(cls, name)
            assert _params(implemented) == _params(getattr(ChatChannel, name)), (
                f"{cls.__name__}.{name}"
            )


def test_a_notifier_without_a_chat_platform_sends_every_delivery_and_edits_nothing():
    notifier = RecordingNotifier()
    assert notifier.held("slack") == 0.0
    assert notifier.deliver("slack", "mary", "approve?", None, ["a button"]) is None
    assert [(s.recipient, s.text) for s in notifier.sent] == [("mary", "approve?")]
    assert notifier.edit("slack", "C1:1", "approved") is False


def test_the_channel_notifier_sends_a_channel_it_lacks_to_its_fallback():
    fallback = RecordingNotifier()
    notifier = ChannelNotifier({}, fallback)
    assert notifier.deliver("telegram", "mary", "hello") is None
    assert [s.text for s in fallback.sent] == ["hello"]
    assert notifier.edit("telegram", "1:2", "edited") is False
    assert notifier.held("telegram") == 0.0
