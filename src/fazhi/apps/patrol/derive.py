"""Obligations and warnings derived from the patrol core: the write path that keeps the store
in step with each case's records.

`reevaluate(case_ids, now)` runs in the caller's transaction (an import, an API call, a form):
it loads the cases, asks the core for their duties as of `now`, and applies the difference —
obligations created, moved, ended or withdrawn; warnings opened, raised (临期 → 超期), settled
when the meeting act is recorded, reopened when it is taken back. `apply_duties` is the same
second half for duties computed elsewhere (the parallel rebuild), so both paths write alike.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Q

from fazhi.apps.audit.chain import Change, append
from fazhi.apps.bulk import Adapt, bulk_insert, bulk_update
from fazhi.apps.bureau.selectors import holiday_calendar, internal_standards
from fazhi.apps.cases.models import Case, CaseHandler, Event
from fazhi.apps.patrol.models import (
    ACTIVE_STATUSES,
    Obligation,
    ObligationState,
    PendingCase,
    SuppliedName,
    Warning,
    WarningAction,
    WarningStatus,
)
from fazhi.apps.patrol.models import (
    Finding as FindingChoice,
)
from fazhi.apps.patrol.timelines import OverlapSource, Rows, all_units, load_timelines
from fazhi.config import catalogue_dir
from fazhi.core.catalog import load_catalogue
from fazhi.core.catalog.model import Catalogue, ControlPoint
from fazhi.core.catalog.model import State as FindingState
from fazhi.core.legaltime import HolidayCalendar, Period, Unit
from fazhi.core.patrol import Duty, DutyState, Timeline, case_duties, overlap_kinds, supplied_names
from fazhi.core.patrol.escalation import next_rung_at, rung
from fazhi.core.records import Case as CaseRecord

SYSTEM_ACTOR = "patrol"
CHUNK = 1000
PRELOAD_OVER = 200
INLINE_LIMIT = 200
PARAMETERS = 5000  # ids in one IN (...) list

_OBLIGATION_STATE = {state: ObligationState(state.value) for state in DutyState}


@lru_cache(maxsize=4)
def _catalogue_at(root: Path) -> Catalogue:
    return load_catalogue(root)


def shipped_catalogue() -> Catalogue:
    """The catalogue as shipped (`FAZHI_CATALOG_DIR`, else the repository's), loaded once per
    process and directory; raises CatalogueInvalid with every error if the files are broken."""
    return _catalogue_at(catalogue_dir())


def catalogue() -> Catalogue:
    """The shipped catalogue with the bureau's 内部标准 thresholds applied to the
    立即/及时 points (`InternalStandard`, hours)."""
    base = shipped_catalogue()
    standards = tuple(sorted(internal_standards().items()))
    if not standards:
        return base
    cached = _ADJUSTED.get(standards)
    if cached is None or cached[0] is not base:
        cached = _ADJUSTED[standards] = (base, _with_standards(base, dict(standards)))
    return cached[1]


# Catalogues with thresholds applied, by thresholds (with the base they were made from).
_ADJUSTED: dict[tuple[tuple[str, int], ...], tuple[Catalogue, Catalogue]] = {}


def _with_standards(base: Catalogue, hours: dict[str, int]) -> Catalogue:
    return Catalogue(
        tuple(
            replace(p, period=Period(Unit.HOURS, hours[p.code]))
            if p.internal_standard and p.code in hours
            else p
            for p in base.points
        )
    )


def calendar() -> HolidayCalendar:
    return holiday_calendar()


def points_by_key(cat: Catalogue) -> Mapping[tuple[str, str | None], ControlPoint]:
    return cat.by_key


@dataclass
class Outcome:
    """What one re-evaluation changed."""

    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    opened: int = 0
    changed: int = 0
    cases: set[str] = field(default_factory=set)

    def add(self, other: Outcome) -> None:
        self.created += other.created
        self.updated += other.updated
        self.withdrawn += other.withdrawn
        self.opened += other.opened
        self.changed += other.changed
        self.cases |= other.cases


def supplied(now_names: Iterable[str] = ()) -> tuple[frozenset[str], bool]:
    """The `x_` names the store carries, adding `now_names`; and whether the set grew."""
    known = {
        name for (name,) in Rows().fetch(f"SELECT name FROM {SuppliedName._meta.db_table}", [])
    }
    new = set(now_names) - known
    if new:
        SuppliedName.objects.bulk_create([SuppliedName(name=n) for n in sorted(new)])
    return frozenset(known | new), bool(new)


def cases_involving(person_ids: set[str]) -> set[str]:
    """The cases these persons handle or acted in (as an event's officer)."""
    found: set[str] = set()
    officers = "officers::text" if connection.vendor == "postgresql" else "officers"
    ids = sorted(person_ids)
    step = max(1, PARAMETERS // 10)  # a LIKE per person: keep the statement short
    for start in range(0, len(ids), step):
        part = ids[start : start + step]
        handled = CaseHandler.objects.filter(person_id__in=part)
        found.update(handled.values_list("case_id", flat=True))
        where = " OR ".join([f"{officers} LIKE %s"] * len(part))
        sql = f"SELECT DISTINCT case_id FROM {Event._meta.db_table} WHERE {where}"
        found.update(case for (case,) in Rows().fetch(sql, [f'%"{i}"%' for i in part]))
    return found


def records_changed(
    case_ids: set[str], names: set[str], now: datetime, *, actor: str = SYSTEM_ACTOR
) -> int:
    """The records of these cases changed (in the caller's transaction), carrying these
    bureau extension names. A few cases are re-evaluated here and now; a large batch marks
    its cases pending instead, to be derived in parallel once the batch is committed
    (`rebuild.evaluate_pending`). Returns how many cases are left pending."""
    _, grew = supplied(names)
    if grew and Case.objects.count() > len(case_ids):  # the changed cases all exist
        # a needs-data point just became active: every stored case is judged anew
        case_ids = set(Case.objects.values_list("pk", flat=True))
    if len(case_ids) <= INLINE_LIMIT:
        if case_ids:
            reevaluate(case_ids, now, actor=actor)
        return 0
    ids = sorted(case_ids)
    # a city batch marks 300,000 cases: bound each statement's parameters (SQLite and
    # PostgreSQL both cap them)
    for start in range(0, len(ids), PARAMETERS):
        PendingCase.objects.filter(case_id__in=ids[start : start + PARAMETERS]).delete()
    bulk_insert(PendingCase._meta.db_table, ("case_id",), [(i,) for i in ids])
    return len(ids)


def reevaluate(
    case_ids: Iterable[str],
    now: datetime,
    *,
    actor: str = SYSTEM_ACTOR,
    cat: Catalogue | None = None,
    cal: HolidayCalendar | None = None,
) -> Outcome:
    """Re-derive the obligations of these cases (and of the cases whose overlap duties they
    touch) as of `now`, in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("re-evaluation belongs in the transaction of the change")
    cat = cat or catalogue()
    cal = cal or calendar()
    ids = sorted(set(case_ids))
    # many cases at once (an import): all overlap events once beats a window query per case
    overlap = OverlapSource(overlap_kinds(cat), now, preload=len(ids) > PRELOAD_OVER)
    units = all_units() if len(ids) > PRELOAD_OVER else None
    outcome = Outcome()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        timelines = load_timelines(chunk, now, overlap, units)
        neighbours = {e.case for t in timelines for e in t.others} - set(ids)
        if neighbours:
            timelines += load_timelines(neighbours, now, overlap, units)
        names, grew = supplied(supplied_names(e for t in timelines for e in t.events))
        if grew and Case.objects.count() > len(timelines):
            # A needs-data point just became active: every stored case is judged anew.
            return reevaluate(
                Case.objects.values_list("pk", flat=True), now, actor=actor, cat=cat, cal=cal
            )
        duties = derive(timelines, cat, now, cal, names)
        outcome.add(apply_duties(duties, owners(timelines), now, cat, actor=actor))
    return outcome


def derive(
    timelines: Sequence[Timeline],
    cat: Catalogue,
    now: datetime,
    cal: HolidayCalendar,
    names: frozenset[str],
) -> dict[str, list[Duty]]:
    """The core's duties of each timeline (pure: no store access)."""
    return {t.case.id: case_duties(t, cat, now, cal, supplied=names) for t in timelines}


def _state(duty: Duty, now: datetime) -> str:
    return _OBLIGATION_STATE[duty.state(now)]


def _steps(duty: Duty) -> list[dict[str, str]]:
    return [
        {"kind": type(s).__name__, "due_at": s.due_at.isoformat(), "text": s.description}
        for s in duty.steps
    ]


def fields_of(duty: Duty, point: ControlPoint, now: datetime) -> dict[str, object]:
    return {
        "subject_id": duty.subject,
        "control_point": duty.control_point,
        "version": duty.version,
        "area": point.area,
        "level": point.level.value,
        "start_event": duty.start,
        "started_at": duty.started_at,
        "due_at": duty.due_at,
        "due_soon_at": duty.due_soon_at,
        "ended_at": duty.ended_at,
        "end_event": duty.end_event,
        "state": _state(duty, now),
        "reported": list(_reported(duty.reported)),
        "steps": _steps(duty),
        "events": list(duty.events),
        "provisional": duty.provisional,
        "floating": duty.floating,
    }


_COMPARED = (
    "subject_id",
    "control_point",
    "version",
    "area",
    "level",
    "start_event",
    "started_at",
    "due_at",
    "due_soon_at",
    "ended_at",
    "end_event",
    "state",
    "reported",
    "steps",
    "events",
    "provisional",
    "floating",
)


@dataclass(frozen=True)
class Owner:
    """Whose a case's obligations are: its handling unit and lead handler (主办民警)."""

    unit: str
    person: str | None

    @classmethod
    def of(cls, case: CaseRecord) -> Owner:
        lead = next((h for h in case.handlers if h.role == "lead"), None)
        lead = lead or (case.handlers[0] if case.handlers else None)
        return cls(case.unit, lead.person if lead else None)


def owners(timelines: Sequence[Timeline]) -> dict[str, Owner]:
    return {t.case.id: Owner.of(t.case) for t in timelines}


COLUMNS = (*_COMPARED, "unit_id", "person_id")

# Bump when the stored form of an obligation changes without its values changing (e.g. the
# wording of the counting steps): every obligation is then written again once.
FINGERPRINT_FORMAT = "1"


def fingerprint(duty: Duty, point: ControlPoint, owner: Owner) -> str:
    """A digest of what `fields_of` stores for the duty, but `state` (time moves it, see
    `services.tick`; it is compared on its own). The counting steps enter by kind, due time
    and start label; their texts follow from those and FINGERPRINT_FORMAT. Run for every
    duty of every rebuild, hence the plain tuple and `marshal` (version 2: no references,
    so equal values always give equal bytes)."""
    due, soon, ended = duty.due_at, duty.due_soon_at, duty.ended_at
    parts = (
        FINGERPRINT_FORMAT,
        duty.subject,
        duty.control_point,
        duty.version,
        point.area,
        point.level.value,
        duty.start,
        duty.started_at.timestamp(),
        due and due.timestamp(),
        soon and soon.timestamp(),
        ended and ended.timestamp(),
        duty.end_event,
        _reported(duty.reported),
        tuple(
            [
                (type(s).__name__, s.due_at.timestamp(), getattr(s, "label", None))
                for s in duty.steps
            ]
        ),
        duty.events,
        duty.provisional,
        duty.floating,
        owner.unit,
        owner.person,
    )
    return hashlib.blake2b(marshal.dumps(parts, 2), digest_size=8).hexdigest()


@lru_cache(maxsize=64)
def _reported(states: frozenset[FindingState]) -> tuple[str, ...]:
    return tuple(sorted(s.value for s in states))


class Stored(NamedTuple):
    """What a re-evaluation reads of a stored obligation to know whether to write it."""

    case: str
    fingerprint: str | None
    state: str


def stored_marks(case_ids: Sequence[str]) -> dict[str, Stored]:
    """key → Stored of these cases' obligations."""
    out: dict[str, Stored] = {}
    table = Obligation._meta.db_table
    sql = f"SELECT key, case_id, fingerprint, state FROM {table} WHERE case_id IN "
    for start in range(0, len(case_ids), PARAMETERS):
        part = case_ids[start : start + PARAMETERS]
        rows = Rows().fetch(sql + f"({', '.join(['%s'] * len(part))})", part)
        out.update((key, Stored(case, mark, state)) for key, case, mark, state in rows)
    return out


@dataclass
class Writes:
    """The rows a set of fresh duties asks to write: duties to store (with their fingerprint
    and whether a row exists) and the keys of stored obligations no duty derives any more."""

    duties: list[tuple[Duty, str, bool]] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)  # (key, case)

    @property
    def cases(self) -> set[str]:
        return {d.case for d, _, _ in self.duties} | {case for _, case in self.withdrawn}


def writes(
    duties: Mapping[str, Sequence[Duty]],
    owned: Mapping[str, Owner],
    now: datetime,
    points: Mapping[tuple[str, str | None], ControlPoint],
    stored: Mapping[str, Stored],
) -> Writes:
    """Compare fresh duties with the stored obligations of the same cases."""
    out = Writes()
    seen: set[str] = set()
    for case_id, case_duty_list in duties.items():
        for duty in case_duty_list:
            key = duty.key
            seen.add(key)
            mark = fingerprint(duty, points[(duty.control_point, duty.version)], owned[case_id])
            row = stored.get(key)
            if row is not None and row.fingerprint == mark and row.state == _state(duty, now):
                continue
            out.duties.append((duty, mark, row is not None))
    out.withdrawn = [
        (key, row.case)
        for key, row in stored.items()
        if key not in seen and row.state != ObligationState.WITHDRAWN
    ]
    return out


def apply_duties(
    duties: Mapping[str, Sequence[Duty]],
    owned: Mapping[str, Owner],
    now: datetime,
    cat: Catalogue,
    *,
    actor: str = SYSTEM_ACTOR,
) -> Outcome:
    """Bring the stored obligations and warnings of the cases in `duties` in line with it."""
    points = points_by_key(cat)
    todo = writes(duties, owned, now, points, stored_marks(list(duties)))
    # A differing fingerprint is checked column by column: one written before fingerprints
    # or under another FINGERPRINT_FORMAT may still describe the same obligation, which then
    # only takes the new fingerprint (no update, no audit entry).
    existing = sorted({duty.case for duty, _, exists in todo.duties if exists})
    stored = stored_obligations(existing) if existing else {}
    creates: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    refreshed: list[tuple[str, str]] = []
    for duty, mark, exists in todo.duties:
        owner = owned[duty.case]
        values = fields_of(duty, points[(duty.control_point, duty.version)], now)
        values.update(unit_id=owner.unit, person_id=owner.person)
        if exists and stored[duty.key][1:] == tuple(values[name] for name in COLUMNS):
            refreshed.append((mark, duty.key))
            continue
        values.update(key=duty.key, case_id=duty.case, evaluated_at=now, fingerprint=mark)
        (updates if exists else creates).append(values)
    _write(creates, updates)
    bulk_update(Obligation._meta.db_table, "key", ("fingerprint",), refreshed)
    _withdraw([key for key, _ in todo.withdrawn], now)
    outcome = Outcome(created=len(creates), updated=len(updates), withdrawn=len(todo.withdrawn))
    changed_cases = {str(row["case_id"]) for row in (*creates, *updates)}
    changed_cases |= {case for _, case in todo.withdrawn}
    if changed_cases:
        withdrawn = [
            {"key": key, "case_id": case, "state": ObligationState.WITHDRAWN}
            for key, case in todo.withdrawn
        ]
        _audit_obligations([*creates, *updates, *withdrawn], now, actor)
        # only obligations that raise a finding or already carry a warning can touch one
        concerned = Obligation.objects.filter(case_id__in=changed_cases).filter(
            Q(state__in=list(_OPEN_FINDING)) | Q(warning__isnull=False)
        )
        opened, changed = sync_warnings(concerned, now, points, actor)
        outcome.opened, outcome.changed = opened, changed
    outcome.cases = changed_cases
    return outcome


_JSON = frozenset({"reported", "steps", "events"})
_TIMES = frozenset({"started_at", "due_at", "due_soon_at", "ended_at", "evaluated_at"})
_BOOLS = frozenset({"provisional", "floating"})


def stored_obligations(case_ids: list[str]) -> dict[str, tuple[object, ...]]:
    """key → (case_id, *COLUMNS values) of the cases' stored obligations, converted to the
    values `fields_of` gives: what `patrol diff` shows of an obligation that would move."""
    if not case_ids:
        return {}
    rows = Rows()
    converters = [
        rows.when
        if name in _TIMES
        else rows.data
        if name in _JSON
        else bool
        if name in _BOOLS
        else None
        for name in COLUMNS
    ]
    marks = ", ".join(["%s"] * len(case_ids))
    sql = (
        f"SELECT {', '.join(('key', 'case_id', *COLUMNS))} FROM {Obligation._meta.db_table} "
        f"WHERE case_id IN ({marks})"
    )
    return {
        key: (
            case,
            *(
                v if c is None or v is None else c(v)
                for c, v in zip(converters, values, strict=True)
            ),
        )
        for key, case, *values in rows.fetch(sql, case_ids)
    }


_WRITTEN = (*COLUMNS, "fingerprint", "evaluated_at")


def _write(creates: list[dict[str, object]], updates: list[dict[str, object]]) -> None:
    """Raw bulk writes (COPY on PostgreSQL): a rebuild writes millions of obligations, and
    the ORM's per-object work would dominate it."""
    adapt = Adapt(connection.vendor)

    def value(row: dict[str, object], name: str) -> object:
        raw = row[name]
        if name in _JSON:
            return adapt.json(raw)
        if name in _TIMES:
            return adapt.time(raw)  # type: ignore[arg-type]
        if name in _BOOLS:
            return adapt.bool(raw)  # type: ignore[arg-type]
        return raw

    table = Obligation._meta.db_table
    inserted = ("key", "case_id", *_WRITTEN)
    bulk_insert(table, inserted, [tuple(value(o, n) for n in inserted) for o in creates])
    bulk_update(
        table, "key", _WRITTEN, [(*(value(o, n) for n in _WRITTEN), o["key"]) for o in updates]
    )


def _withdraw(keys: list[str], now: datetime) -> None:
    """End obligations no duty derives any more; the cleared fingerprint makes a duty that
    comes back under the same key write its whole row again."""
    for start in range(0, len(keys), PARAMETERS):
        Obligation.objects.filter(key__in=keys[start : start + PARAMETERS]).update(
            state=ObligationState.WITHDRAWN, evaluated_at=now, fingerprint=None
        )


def _audit_obligations(rows: list[dict[str, object]], now: datetime, actor: str) -> None:
    """One audit entry per case whose obligations changed: which, and to what state."""
    by_case: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        by_case[str(row["case_id"])][str(row["key"]).split("|", 1)[1]] = str(row["state"])
    append(
        [
            Change(
                actor,
                "patrol.evaluate",
                "case",
                case_id,
                None,
                json.dumps({"obligations": states}, ensure_ascii=False, sort_keys=True),
            )
            for case_id, states in sorted(by_case.items())
        ],
        now,
    )


# --- warnings ------------------------------------------------------------------------------

_OPEN_FINDING = {
    ObligationState.DUE_SOON: "due_soon",
    ObligationState.OVERDUE: "overdue",
    ObligationState.LATE: "late",
    ObligationState.VIOLATED: "violated",
}
_SETTLED_BY_ACT = (ObligationState.MET, ObligationState.LATE, ObligationState.EXCUSED)


def sync_warnings(
    obligations, now: datetime, points: dict[tuple[str, str | None], ControlPoint], actor: str
) -> tuple[int, int]:
    """Open, raise, settle or reopen the warnings of these obligations; (opened, changed)."""
    opened = changed = 0
    changes: list[Change] = []
    for ob in obligations.select_related("warning").order_by("pk"):
        point = points.get((ob.control_point, ob.version))
        finding = _OPEN_FINDING.get(ob.state)
        if finding is not None and finding not in ob.reported:
            finding = None
        warning = getattr(ob, "warning", None) if _has_warning(ob) else None
        if warning is None:
            if finding is None or point is None:
                continue
            warning = _open(ob, finding, point, now)
            changes.append(_warning_change(actor, "warning.open", warning, None))
            opened += 1
            continue
        before = _snapshot(warning)
        kind, note = _move(warning, ob, finding, point, now)
        if kind is None:
            continue
        warning.revision += 1
        warning.save()
        WarningAction.objects.create(
            warning=warning,
            at=now,
            actor=actor,
            action=kind,
            note=note,
            status_before=before["status"],
            status_after=warning.status,
        )
        changes.append(_warning_change(actor, f"warning.{kind}", warning, before))
        changed += 1
    append(changes, now)
    return opened, changed


def _has_warning(ob: Obligation) -> bool:
    try:
        ob.warning  # noqa: B018 - the reverse one-to-one raises when absent
    except Warning.DoesNotExist:
        return False
    return True


def _open(ob: Obligation, finding: str, point: ControlPoint, now: datetime) -> Warning:
    at = ob.due_at if ob.due_at is not None and finding != "violated" else ob.ended_at
    settled = ob.state in _SETTLED_BY_ACT
    step, role = rung(point, at, now) if finding in ("overdue", "violated") else (0, None)
    warning = Warning.objects.create(
        obligation=ob,
        case_id=ob.case_id,
        unit_id=ob.unit_id,
        person_id=ob.person_id,
        subject_id=ob.subject_id,
        control_point=ob.control_point,
        area=ob.area,
        level=ob.level,
        finding=finding,
        due_at=ob.due_at,
        at=at,
        opened_at=now,
        status=WarningStatus.RESOLVED if settled else WarningStatus.OPEN,
        settled_at=ob.ended_at if settled else None,
        escalation=step,
        escalated_to=(role.value if role else "lead_handler"),
        next_escalation_at=None
        if settled or finding == "due_soon"
        else next_rung_at(point, at, step),
    )
    WarningAction.objects.create(
        warning=warning,
        at=now,
        actor=SYSTEM_ACTOR,
        action=WarningAction.Kind.OPEN,
        note=("办理行为已录入（逾期）" if settled else ""),
        status_before=None,
        status_after=warning.status,
    )
    return warning


def _move(warning: Warning, ob: Obligation, finding: str | None, point, now: datetime):
    """The change a re-evaluated obligation makes to its warning: (action, note), action None
    when nothing changes. Mutates `warning`; the caller saves it."""
    active = warning.status in ACTIVE_STATUSES
    if ob.state == ObligationState.WITHDRAWN:
        if not active:
            return None, ""
        _settle(warning, WarningStatus.CLOSED, now)
        return WarningAction.Kind.APPROVE_EXCEPTION, "起算事件已变更或删除，义务撤销，预警自动核销"
    kind, note = None, ""
    if ob.state in _SETTLED_BY_ACT:
        if finding == "late" and warning.finding != "late":
            warning.finding = "late"
            kind, note = WarningAction.Kind.FINDING, "办理行为逾期录入"
        if active:
            _settle(warning, WarningStatus.RESOLVED, ob.ended_at)
            return WarningAction.Kind.RESOLVE, "办理行为已录入，预警自动办结"
        return kind, note
    if ob.due_at is not None and warning.due_at != ob.due_at:
        warning.due_at = warning.at = ob.due_at
        kind, note = WarningAction.Kind.FINDING, "到期时间已变更（延长、中止或补录）"
    if finding is None:  # open but no longer near due (an extension moved it away)
        if active:
            _settle(warning, WarningStatus.RESOLVED, now)
            return WarningAction.Kind.RESOLVE, "期限已变更，暂无到期风险，预警自动办结"
        return kind, note
    if warning.status == WarningStatus.RESOLVED:
        warning.status, warning.settled_at = WarningStatus.OPEN, None
        kind, note = WarningAction.Kind.REOPEN, "办理行为已撤回或期限临近，预警重新打开"
    if finding != warning.finding:
        warning.finding = finding
        kind = kind or WarningAction.Kind.FINDING
        note = note or f"预警升级为{FindingChoice(finding).label}"
    if warning.status in ACTIVE_STATUSES and point is not None and finding == "overdue":
        warning.next_escalation_at = next_rung_at(point, warning.at, warning.escalation)
    return kind, note


def _settle(warning: Warning, status: str, at: datetime | None) -> None:
    warning.status, warning.settled_at, warning.next_escalation_at = status, at, None


def _snapshot(warning: Warning) -> dict[str, object]:
    return {
        "status": warning.status,
        "finding": warning.finding,
        "due_at": warning.due_at.isoformat() if warning.due_at else None,
        "escalation": warning.escalation,
    }


def _warning_change(actor: str, action: str, warning: Warning, before: dict | None) -> Change:
    return Change(
        actor,
        action,
        "warning",
        str(warning.pk),
        json.dumps(before, ensure_ascii=False, sort_keys=True) if before else None,
        json.dumps(_snapshot(warning), ensure_ascii=False, sort_keys=True),
    )
