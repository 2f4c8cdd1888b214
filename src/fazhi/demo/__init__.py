"""Synthetic bureau generator: realistic CEIF data for demos, tests and benchmarks.

``generate_bureau(out_dir, scale=…, seed=…, date_from=…, date_to=…, defect_share=0.03)``
writes into ``out_dir`` one JSON Lines file per record type — ``unit``, ``person``, ``grid``,
``alarm``, ``case``, ``subject``, ``event`` (``<type>.jsonl``: UTF-8, one CEIF record per line,
compact, keys in a fixed order) — plus ``defects.jsonl`` and ``manifest.json``. Everything comes
from ``random.Random(seed)`` and the given dates, so the same arguments give the same bytes.

Scales (the case count is for the whole period, whatever its length): ``mini`` ≈ 40 people /
150 cases, ``county`` ≈ 500 / 20,000, ``city`` ≈ 10,000 / 300,000, ``province`` ≈ 100,000 /
3,000,000; about eleven events and 2.3 alarms per case. Ids: units ``U-<division code>…``,
people ``P-000001``, grids ``G-…``, alarms ``J-YYYYMMDD-000001``, criminal cases
``A-YYYY-0000001``, administrative ``X-YYYY-0000001``, subjects ``S-<case>-1``, events
``E-<case>-01`` in time order.

Every case is generated clean against ``control-points.md`` — within each deadline whatever the
holiday calendar, two sworn officers at every questioning and measure, recordings, guardians,
notifications — and cases opened shortly before ``date_to`` stop where the cutoff
(``date_to`` 23:59:59) finds them. A share ``defect_share`` of the cases then gets exactly one
injected defect — an act late, a required act missing, or an act done wrongly (LA-01, LA-06,
CH-01, CH-04–06, XW-01–07, JL-02, JL-03, JS-02, DB-03, DB-04, YS-01, CW-01, CW-02, CW-08,
XZ-01, XZ-03, XZ-04, XZ-06, XZ-09, XZ-10, XZ-17, XZ-22), always beyond any holiday extension,
visible by the cutoff, and only where the point is in force on the day of the act that starts it
and applies to the case (``fazhi.demo.scope``: e.g. no 2025-law point on a 2025 act, no 治安-only
point on a traffic case, CW-02 on administrative cases only) — listed in ``defects.jsonl`` (not
CEIF); the patrol finds each one at its case, subject and control point, and nothing on clean
cases but ``due_soon`` (tests/core/patrol/test_generated_bureau.py)::

    {"case": "A-2026-0000031", "subject": "S-A-2026-0000031-1" | null,
     "control_point": "JL-03", "defect": "late" | "missing" | "wrong", "note": "中文说明"}

Fazhi extensions to CEIF used here:

* record type ``grid`` (网格), four levels — township (一级) → community/village (二级) →
  officer zone (三级) → compound (四级)::

    {"type": "grid", "id": "G-…", "name": "…", "level": 1..4,
     "unit": "<unit id of the owning station>", "parent": "<grid id; levels 2–4 only>",
     "officers": ["<person ids of the community officers working it>"]}

* optional attributes: ``interpreter`` (bool) on questioning of a deaf-mute subject or one who
  needs an interpreter (XW-10); ``guardian_notified`` (bool) on ``pre_penalty_notice`` to a
  minor, whose guardian must be told too (XZ-03).
"""

from fazhi.demo.generator import SCALES, GenerationSummary, generate_bureau

__all__ = ["SCALES", "GenerationSummary", "generate_bureau"]
