"""Stand-ins for modules that a forecasting library imports at its top but uses only in code
JXC never runs (charts, models it does not fit): while the library loads, such a module is a
small stand-in whose functions import the real module when first called, so a CLI process that
forecasts one item does not pay for it. Once the library has loaded, the stand-ins leave
`sys.modules`: anything imported afterwards gets the real modules.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType


def real(name: str, stand_in: ModuleType) -> ModuleType:
    """The real module `name`, imported now, never the stand-in left in its place."""
    if sys.modules.get(name) is stand_in:
        del sys.modules[name]
    return importlib.import_module(name)


def stand_in(name: str, *functions: str) -> ModuleType:
    """A module standing in for `name` whose `functions` import the real module and call the
    real function when first called."""
    module = ModuleType(name)

    def proxy(function: str):
        def call(*args, **kwargs):
            return getattr(real(name, module), function)(*args, **kwargs)

        call.__name__ = call.__qualname__ = function
        return call

    for function in functions:
        setattr(module, function, proxy(function))
    return module


@contextmanager
def standing_in(modules: Mapping[str, ModuleType | None]) -> Iterator[None]:
    """Put `modules` in `sys.modules` (None hides a module: importing it fails) where nothing
    is loaded under their names yet, and take them out again afterwards."""
    placed = {k: v for k, v in modules.items() if k not in sys.modules}
    sys.modules.update(placed)
    try:
        yield
    finally:
        for k, v in placed.items():
            if sys.modules.get(k) is v:
                del sys.modules[k]
