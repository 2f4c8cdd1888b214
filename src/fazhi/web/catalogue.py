"""The control-point catalogue as the pages read it: loaded once per process from the same
directory the patrol uses (`FAZHI_CATALOG_DIR`, else the repository's `catalog/`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from fazhi.apps.patrol.derive import shipped_catalogue
from fazhi.core.catalog import AREAS, ControlPoint, Level

LEVEL_LABELS: Mapping[Level, str] = MappingProxyType(
    {Level.LOW: "低", Level.MEDIUM: "中", Level.HIGH: "高", Level.CRITICAL: "严重"}
)
STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {"due_soon": "即将到期", "overdue": "超期未办", "late": "超期已办", "violated": "违规"}
)
ROLE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "lead_handler": "主办民警",
        "legal_officer": "法制员",
        "unit_head": "所队长",
        "legal_department": "法制部门",
        "bureau_leader": "局领导",
    }
)


# the same cached load the patrol judges with: one catalogue per process
catalogue = shipped_catalogue


def by_area() -> list[tuple[str, str, list[ControlPoint]]]:
    """(area key, Chinese name, points in code order) in the catalogue's area order."""
    points = catalogue().points
    return [
        (area, name, [p for p in points if p.area == area])
        for area, name in AREAS.items()
        if any(p.area == area for p in points)
    ]


def point(key: str) -> ControlPoint | None:
    """A point by its key: the code, or code@version for an older version."""
    return next((p for p in catalogue().points if p.key == key), None)


def internal_standard_points() -> list[ControlPoint]:
    """The "立即/及时" points whose period is a bureau threshold, current versions only."""
    return [p for p in catalogue().points if p.internal_standard and p.in_force.valid_to is None]
