"""Where a control point can see a defect: the version in force and the cases it applies to.

A defect is injected only where the point it names is in force on the day of the act that
starts it and applies to the case (shared/control-points.md: "an act is judged by the text in
force when its start event happened"). The tables mirror the catalogue
(catalog/control_points/); tests/core/patrol/test_generated_bureau.py checks that every
injected defect is found there.
"""

from __future__ import annotations

from datetime import date

from fazhi.demo.clock import day_start

LAW_2025 = day_start(date(2026, 1, 1))  # 治安管理处罚法 (2025 revision) in force

# Points the catalogue holds only in their 治安法2025 version, in force from 2026-01-01 (judged by
# the day of the starting act). Some duties are new or changed in the 2025 law: CH-06 (recording
# in the case area, §97), XW-02 (the one-officer exception, §108), XW-05 (under 18, §98; the
# 2012 law §84 said under 16), XZ-04 (4000 yuan, §117), XZ-06 (§116). XZ-17 (法制审核, §114) has
# no counterpart in the 2012 law (行政处罚法§58 aside, which the catalogue does not yet carry as
# a pre-2026 entry), so a defect there on a 2025 act is one no control point can see and none
# is injected. The points that stood in the same words before 2026 have their `@2012` entries
# and are injected on either side of the date: CH-05 (治安法2012§83), XZ-03 (§94), XZ-09 (§97),
# XZ-10 (§103), CW-01 (§89, 公安刑事规定§230).
FROM_2026 = frozenset({"CH-06", "XW-02", "XW-05", "XZ-04", "XZ-06", "XZ-17"})

# Points of 治安案件 only (the 治安管理处罚法 governs them): an administrative case whose category
# names no other field (CEIF; cases.OTHER_ADMIN_FIELDS). Versions before 2026 included.
PUBLIC_ORDER_ONLY = frozenset({"CH-06", "XW-02", "XW-05", "XZ-01", "XZ-04", "XZ-06", "XZ-22"})


def in_scope(code: str, at: int | None, public_order: bool) -> bool:
    """Whether a defect at `code`, whose starting act happened at `at`, can be found."""
    if code in FROM_2026 and (at is None or at < LAW_2025):
        return False
    return public_order or code not in PUBLIC_ORDER_ONLY
