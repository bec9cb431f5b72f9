"""The prompts, loaded by name from the installed `prompts` package (text files, so they are
edited without touching code)."""

from __future__ import annotations

import functools
import re
from importlib import resources
from string import Template

_NAME = re.compile(r"[a-z][a-z0-9_]*")


@functools.cache
def load(name: str) -> str:
    """The text of the prompt `name` (`system_en`, `examples_zh`…)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a prompt name")
    return resources.files("prompts").joinpath(f"{name}.txt").read_text(encoding="utf-8")


def system_prompt(lang: str, **values: str) -> str:
    """The system prompt in `lang` (en or zh) with its worked examples, `$placeholders` filled
    from `values`."""
    lang = "zh" if lang == "zh" else "en"
    text = Template(load(f"system_{lang}")).safe_substitute(values)
    return f"{text.rstrip()}\n\n{load(f'examples_{lang}').rstrip()}\n"
