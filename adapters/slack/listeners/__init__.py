"""Slack listeners, grouped by kind; each module has a `register(app)`. They acknowledge first
and hand the work to the `SlackChat` found in the request's context (`context["jxc"]`)."""

from __future__ import annotations

from adapters.slack.listeners import actions, commands, messages


def register_all(app) -> None:
    """Every listener on a bolt app."""
    for module in (messages, commands, actions):
        module.register(app)
