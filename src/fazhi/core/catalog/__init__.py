"""The control-point catalogue as data: typed model, loader, lint.

Files live in `catalog/control_points/<area>/`: one `<CODE>.yaml` per control point and its
proof beside it, `<CODE>.examples.yaml`. A point whose law changed keeps one file per version,
`<CODE>@<version>.yaml` (e.g. `CH-04@2012.yaml` for the 2012 治安管理处罚法, `CH-04.yaml` for
the 2025 text); versions of one code must have non-overlapping `in_force` ranges, and a case is
judged by the version in force on the day of its start event (`Catalogue.in_force`).

Control point file (the legal ground truth is `shared/control-points.md`):

    code: JL-01                    # stable code, AA-01; equals the file name
    version: "2012"                # optional; only where several versions exist
    name: 拘留后提请批准逮捕         # Chinese name shown to users
    area: detention                # see load.AREAS
    kind: deadline                 # deadline | duration_limit | required_step |
                                   # required_attribute | forbidden_overlap | count_limit | authority
    basis:                         # at least one; every quote verbatim in the law file
      - {source: 刑诉法, file: criminal-procedure-law-2018.md, article: "91", quote: "…"}
    in_force: {from: 2020-09-01, to: 2025-12-31}   # inclusive days; `to` absent = still in force
    starts_at: criminal_detention  # event kind, or {event: kind, attrs: {attr: value}}
    met_by: [arrest_requested, {event: family_notified, attrs: {for: arrest}}]
    superseded_by: [notification_impossible]   # events that end the duty without meeting it
    period: {days: 3}              # legaltime spelling: hours | days | working_days | months | years
    extended_by:                   # one or a list
      - {event: arrest_request_extended, attr: limit_days, mode: to, unit: days}
      # mode `to`: the attribute is the new total (延长至); `by`: the amount added (延长);
      # or {event: summons, attr: extended, period: {hours: 24}}: a true flag sets the total
    excluded_by: [{event: appraisal, attrs: {psychiatric: true}}]  # spans not counted
    holiday_shift: false           # C2: true only for police duties with nobody in custody
    lead_time: {hours: 24}         # how long before due_at a finding becomes due_soon
    level: high                    # low | medium | high | critical
    escalation:                    # ladder: how long past due, to whom
      - {after: {hours: 1}, to: legal_officer}
      - {after: {days: 1}, to: unit_head}
      # roles: lead_handler, legal_officer, unit_head, legal_department, bureau_leader
    internal_standard: true        # "立即/及时" points: `period` is a bureau threshold
                                   # (default 24 h) and `note` must say 内部标准
    needs_data: 理由               # facts CEIF does not carry; the point raises nothing until
                                   # the named x_ events or attributes arrive
    applies_to:                    # all conditions must hold
      case_kind: criminal          # ceif.CASE_KINDS
      public_order: true           # 治安案件 only (false: other administrative fields)
      case_flags: [complainant]    # ceif.CASE_FLAGS
      subject_flags: [foreigner]   # ceif.SUBJECT_FLAGS
      start_attrs: {designated_place: true}
      start_attrs_min: {detention_days: 1}   # numeric lower bounds on start attributes
    params: {…}                    # kind-specific settings, see below
    note: 文字说明                 # choices made where the law leaves one

`deadline` and `duration_limit` points need starts_at, period, holiday_shift, lead_time and
escalation (deadlines also met_by). A duty runs per subject of its start event (per case when
the start event has none); it is met by the first `met_by` event after the start for the same
subject or for the whole case, and ends unmet-but-excused at a `superseded_by` event. For a
duration limit the start event's own `end` ends the measure and `met_by` lists other events
that end it (a measure that replaces it). Event kinds are CEIF kinds (`ceif.EVENT_KINDS`,
attributes checked against their specs; bureau attributes prefixed `x_`) or bureau extension
kinds prefixed `x_`. At due_at the finding goes to the lead handler (主办民警); `escalation`
adds the next recipients as time passes.

`params` keys shared by several points (checked where they have a fixed shape):
- `tiers`: [{when: {case_flags, subject_flags, start_attrs}, period, holiday_shift?, label}] —
  the first matching tier replaces `period` (询问查证 8/12/24 小时, 继续盘问 4 小时 …);
- `due_rule`: {days_before_expiry: N} — C5 "届满 N 日前" of the period (YJ-02, QB-03); or
  {description: …} for a due time no single period expresses (JL-07);
- `findings`: subset of [due_soon, overdue, late] for optional duties (JL-06 复议, XZ-18 再次调解:
  only a late act is a finding);
- `restarted_by`: {event, date_attr} — the period restarts from that date (YJ-06 另有重要罪行);
- `derived_from`: the CEIF record an `x_` start event is made from (LA-02: the alarm time);
- `min_officers`, `required_attrs`, `required_before`, `max_count`, … — what a non-timed rule
  checks, spelled out in the point's `note`.
Only `deadline`/`duration_limit` findings are time states; every other kind reports `violated`.

Examples file: a list of

    - name: 三日内未提请，超期
      as_of: 2026-03-05T09:00:00+08:00
      case: {kind: criminal, category: theft, flags: [gang], act_date: 2026-02-01}   # optional
      subjects: [{id: S1, birth_date: 2010-05-01, flags: [deaf_mute]}]              # optional
      persons: [{id: A1, roles: [auxiliary]}]      # optional: officers' CEIF roles
      units: [{id: U1, kind: station}]             # optional: units named in attrs/case
      events:
        - {kind: criminal_detention, subject: S1, at: 2026-03-01T10:00:00+08:00,
           end: …, officers: [P1, P2], attrs: {…}}
      expect:                       # [] = must not fire
        - {subject: S1, state: overdue, due_at: 2026-03-04T23:59:59+08:00}
        - {subject: S1, state: violated, at: 2026-03-01T10:00:00+08:00}

States are the CEIF patrol states: due_soon, overdue, late (timed kinds, with `due_at`) and
violated (other kinds, with `at`, the time of the offending event). `subject: null` is a
finding about the whole case. Officers are person ids; `persons` gives their CEIF roles where
a point depends on them (辅警 = `auxiliary`). Due times follow shared/control-points.md §2 and C1–C6 to the
second, in +08:00.

Every point has at least one must-fire and one must-not-fire example, except `needs_data`
points, which need at least one example of the data they would need.

`load_catalogue(root)` returns the typed `Catalogue` or raises `CatalogueInvalid` with every
error (`path:line: reason`); `lint_catalogue(root, law_dir)` adds the catalogue-wide checks
(see `lint`). Pure Python: no framework, no database.
"""

from fazhi.core.catalog.lint import default_law_dir, lint_catalogue
from fazhi.core.catalog.load import (
    AREAS,
    CatalogError,
    CatalogueInvalid,
    load_catalogue,
    read_catalogue,
)
from fazhi.core.catalog.model import (
    Applicability,
    Basis,
    Catalogue,
    ControlPoint,
    Escalation,
    EventMatch,
    Example,
    Expectation,
    ExtensionMode,
    ExtensionRule,
    InForce,
    Level,
    PointKind,
    Role,
    State,
)
from fazhi.core.catalog.sources import SOURCES, Source

__all__ = [
    "AREAS",
    "SOURCES",
    "Applicability",
    "Basis",
    "CatalogError",
    "Catalogue",
    "CatalogueInvalid",
    "ControlPoint",
    "Escalation",
    "EventMatch",
    "Example",
    "Expectation",
    "ExtensionMode",
    "ExtensionRule",
    "InForce",
    "Level",
    "PointKind",
    "Role",
    "Source",
    "State",
    "default_law_dir",
    "lint_catalogue",
    "load_catalogue",
    "read_catalogue",
]
