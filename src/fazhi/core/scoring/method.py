"""A scheme as its published method (公布的评分办法): plain JSON-ready data, so a frozen public
ranking keeps the exact rules it was scored under beside it."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from fazhi.core.scoring.model import Item, Scheme


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, tuple | list):
        if len(value) == 2 and all(isinstance(v, time) for v in value):
            return f"{value[0]:%H:%M}-{value[1]:%H:%M}"  # a time window
        return [_plain(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _item(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "dimension": item.dimension,
        "kind": item.kind,
        "params": _plain(item.params),
        "cap": _plain(item.cap),
        "floor": _plain(item.floor),
        "exposure": None
        if item.exposure is None
        else {"per_cases": item.exposure.per_cases, "min_cases": item.exposure.min_cases},
        "source": {"seed": item.source.seed, "quote": item.source.quote},
    }


def describe(scheme: Scheme) -> dict[str, Any]:
    recovery = scheme.recovery
    return {
        "code": scheme.code,
        "version": scheme.version,
        "name": scheme.name,
        "in_force": {
            "from": scheme.in_force.valid_from.isoformat(),
            "to": scheme.in_force.valid_to.isoformat() if scheme.in_force.valid_to else None,
        },
        "rank_by": scheme.rank_by,
        "dimensions": dict(scheme.dimensions),
        "base": _plain(scheme.base),
        "floor": _plain(scheme.floor),
        "cap": _plain(scheme.cap),
        "severities": {s.value: _plain(p) for s, p in scheme.severities.items()},
        "recovery": None
        if recovery is None
        else {
            "window_days": recovery.window_days,
            "share": _plain(recovery.share),
            "cap": _plain(recovery.cap),
        },
        "ties": list(scheme.ties),
        "items": [_item(i) for i in scheme.items],
    }
