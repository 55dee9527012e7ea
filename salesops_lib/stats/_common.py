"""Private helpers shared by the statistics modules: argument checks, p-values, the result mixin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from salesops_lib.errors import ParamsError


class _Result:
    """Mixin: ``to_dict()`` and a one-row tidy ``to_frame()`` for frozen dataclass results."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    def to_frame(self) -> pd.DataFrame:
        row = {k: v for k, v in self.to_dict().items() if np.ndim(v) == 0}
        return pd.DataFrame([row])

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def _check_alpha(alpha: float) -> float:
    if not (isinstance(alpha, int | float) and 0.0 < float(alpha) < 1.0):
        raise ParamsError("alpha", f"got {alpha!r}", expected="a number between 0 and 1, e.g. 0.05")
    return float(alpha)


def _as_values(x: Any, name: str, *, min_n: int = 1) -> np.ndarray:
    """1-d float array of finite values, at least ``min_n`` of them."""
    try:
        arr = np.asarray(x, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ParamsError(name, "is not numeric", expected="an array of numbers") from None
    if arr.size < min_n:
        raise ParamsError(
            name,
            f"has {arr.size} unit{'s' if arr.size != 1 else ''}",
            expected=f"at least {min_n} units per arm",
        )
    if not np.all(np.isfinite(arr)):
        bad = int(np.sum(~np.isfinite(arr)))
        raise ParamsError(
            name,
            f"holds {bad} missing or infinite value{'s' if bad != 1 else ''}",
            expected="finite numbers only",
            fix="fill or drop missing values before the comparison (e.g. a unit with no deal has "
            "value 0)",
        )
    return arr


def _check_count(value: Any, name: str, *, positive: bool = False) -> int:
    """A non-negative (or positive) integer count."""
    try:
        fval = float(value)
    except (TypeError, ValueError):
        raise ParamsError(name, f"got {value!r}", expected="a whole number") from None
    if not np.isfinite(fval) or fval != np.floor(fval):
        raise ParamsError(name, f"got {value!r}", expected="a whole number")
    if fval < 0:
        raise ParamsError(name, f"is negative ({value!r})", expected="a count >= 0")
    if positive and fval == 0:
        raise ParamsError(name, "is 0: the arm has no units", expected="at least one unit per arm")
    return int(fval)


def _t_p_value(t: float, df: float) -> float:
    """Two-sided p-value of a t statistic; handles t = ±inf and df = inf."""
    if np.isnan(t):
        return 1.0
    return float(2.0 * stats.t.sf(abs(t), df))


def _z_p_value(z: float) -> float:
    if np.isnan(z):
        return 1.0
    return float(2.0 * stats.norm.sf(abs(z)))


def _z(alpha: float) -> float:
    return float(stats.norm.isf(alpha / 2.0))


def _labelled(obj: Any, name: str) -> dict[str, Any]:
    """A mapping (dict, pandas Series) as an ordered plain dict."""
    if isinstance(obj, Mapping) or hasattr(obj, "items"):
        return {str(k): v for k, v in obj.items()}
    raise ParamsError(name, f"got {type(obj).__name__}", expected="a mapping arm -> value")


def _check_binary(x: Any, n: Any, xname: str, nname: str) -> tuple[int, int]:
    nn = _check_count(n, nname, positive=True)
    xx = _check_count(x, xname)
    if xx > nn:
        raise ParamsError(xname, f"is {xx} but {nname} is {nn}", expected=f"successes <= {nname}")
    return xx, nn
