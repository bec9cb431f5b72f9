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


class _Normal:
    """scipy.stats' `norm` as far as statsforecast asks it for the models JXC fits: the
    quantile of a normal distribution (`norm(scale=s).ppf(q)`, `norm.ppf(q)`), computed with
    the standard library's `statistics.NormalDist` (Wichura's algorithm, accurate to double
    precision like scipy's). Any other method is the real scipy.stats' `norm`."""

    def __init__(self, loc: float = 0.0, scale: float = 1.0, frozen: bool = False) -> None:
        self.loc, self.scale, self.frozen = loc, scale, frozen

    def __call__(self, loc: float = 0.0, scale: float = 1.0) -> _Normal:
        return _Normal(loc, scale, frozen=True)

    def ppf(self, q, loc: float | None = None, scale: float | None = None):
        import math
        from statistics import NormalDist

        import numpy as np

        dist = NormalDist(self.loc if loc is None else loc, self.scale if scale is None else scale)

        def one(p: float) -> float:
            if 0 < p < 1:
                return dist.inv_cdf(p)
            return -math.inf if p == 0 else math.inf if p == 1 else math.nan

        values = np.vectorize(one, otypes=[float])(np.asarray(q, dtype=float))
        return values if values.ndim else float(values)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        import scipy.stats

        norm = scipy.stats.norm
        return getattr(norm(loc=self.loc, scale=self.scale) if self.frozen else norm, name)


def scipy_stats_stand_in() -> ModuleType:
    """A module standing in for `scipy.stats` (a quarter of a second to import): its `norm`
    gives normal quantiles without it; any other name is taken from the real module."""
    module = ModuleType("scipy.stats")
    module.norm = _Normal()

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(real("scipy.stats", module), name)

    module.__getattr__ = __getattr__
    return module
