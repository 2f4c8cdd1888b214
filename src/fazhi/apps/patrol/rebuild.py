"""Re-derive every obligation from the stored records, in parallel over chunks of cases.

Workers (forked processes, each with its own database connection) read a chunk's records,
run the same per-case core code as an import (`derive.derive`) and compare the duties with
the stored obligations' fingerprints; they hand the parent only the cases whose obligations
differ. The parent applies those with the same `derive.apply_duties`, one transaction per
chunk, comparing again inside it. On a store kept up to date by imports a rebuild changes
nothing and the parent has next to nothing to do — a test holds the two paths equal.
`compare` computes and compares without writing (what `patrol diff` and the test use).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.db import connections, transaction

from fazhi.apps.cases.models import Case
from fazhi.apps.patrol import derive
from fazhi.apps.patrol.models import Obligation, PendingCase
from fazhi.apps.patrol.timelines import OverlapSource, all_units, load_timelines
from fazhi.core.catalog.model import Catalogue, ControlPoint
from fazhi.core.legaltime import HolidayCalendar
from fazhi.core.patrol import Duty, overlap_kinds

CHUNK = 2000
T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Difference:
    """How the stored obligations of some cases differ from a fresh derivation."""

    created: list[str]
    changed: list[tuple[str, dict[str, tuple[object, object]]]]
    withdrawn: list[str]

    @property
    def empty(self) -> bool:
        return not (self.created or self.changed or self.withdrawn)


# What a worker needs, set in the parent before the fork and inherited.
_JOB: dict[str, object] = {}


def _worker_start() -> None:
    # The parent closed its connections before forking; each child opens its own.
    connections.close_all()
    # A chunk builds a few million short-lived objects without reference cycles (records,
    # duties, steps), which the cyclic collector would traverse again and again while the
    # chunk lives: it runs once per chunk instead (`_worker_chunk`).
    gc.disable()


@dataclass
class Chunk:
    """One chunk of cases, with the duties and owners of those whose stored obligations
    differ from the fresh derivation (the others have nothing to write)."""

    cases: Sequence[str]
    duties: dict[str, list[Duty]]
    owners: dict[str, derive.Owner]
    # full comparison only: obligations whose columns differ although their fingerprint
    # matches (edited behind the application's back)
    stale: list[str] = field(default_factory=list)


def _derive_chunk(case_ids: Sequence[str]) -> Chunk:
    now: datetime = _JOB["now"]  # type: ignore[assignment]
    cat: Catalogue = _JOB["catalogue"]  # type: ignore[assignment]
    timelines = load_timelines(case_ids, now, _JOB["overlap"], _JOB["units"])  # type: ignore[arg-type]
    duties = derive.derive(timelines, cat, now, _JOB["calendar"], _JOB["names"])  # type: ignore[arg-type]
    # a case not yet opened as of `now` has no timeline, and so no obligations
    duties = {case_id: [] for case_id in case_ids} | duties
    owned = derive.owners(timelines)
    points = derive.points_by_key(cat)
    stale: list[str] = []
    if _JOB["full"]:
        stored = derive.stored_obligations(list(case_ids))
        found = difference(duties, owned, now, points, stored)
        stale = [key for key, _ in found.changed]
        moved = {*found.created, *stale}
        differ = {d.case for ds in duties.values() for d in ds if d.key in moved}
        differ |= {str(stored[key][0]) for key in found.withdrawn}
    else:
        differ = derive.writes(duties, owned, now, points, derive.stored_marks(case_ids)).cases
    return Chunk(
        case_ids,
        {c: duties[c] for c in differ},
        {c: owned[c] for c in differ if c in owned},
        stale,
    )


def _worker_chunk(case_ids: Sequence[str]) -> Chunk:
    try:
        return _derive_chunk(case_ids)
    finally:
        gc.collect()


def _chunks(ids: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def in_order_ahead(
    pool: Executor, work: Callable[[T], R], items: Iterable[T], ahead: int
) -> Iterator[R]:
    """`pool.map` with at most `ahead` items in flight. `map` submits every item at once,
    and while the parent stores one chunk of duties the workers' finished chunks would pile
    up in its memory: a city's 150 chunks at once."""
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def derived_chunks(
    now: datetime,
    *,
    workers: int,
    cat: Catalogue,
    cal: HolidayCalendar,
    chunk: int = CHUNK,
    case_ids: Sequence[str] | None = None,
    full: bool = False,
) -> Iterator[Chunk]:
    """Each chunk, in order, computed by `workers` processes (0: here)."""
    ids = (
        list(case_ids)
        if case_ids is not None
        else list(Case.objects.order_by("pk").values_list("pk", flat=True))
    )
    names, _ = derive.supplied()
    # loaded once here, before the fork: the workers share one copy of the overlap events
    overlap = OverlapSource(overlap_kinds(cat), now, preload=True)
    _JOB.update(
        now=now,
        catalogue=cat,
        calendar=cal,
        names=names,
        overlap=overlap,
        units=all_units(),
        full=full,
    )
    try:
        if workers <= 0:
            yield from (_derive_chunk(c) for c in _chunks(ids, chunk))
            return
        connections.close_all()
        # The workers share the parent's pages until they write to them, and a garbage
        # collection writes to every object it visits: left to it, each worker would soon hold
        # its own copy of all the parent holds (after an import, hundreds of MiB). Frozen
        # objects are skipped.
        gc.freeze()
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(
                workers, mp_context=context, initializer=_worker_start
            ) as pool:
                yield from in_order_ahead(
                    pool, _worker_chunk, _chunks(ids, chunk), ahead=2 * workers
                )
        finally:
            gc.unfreeze()
    finally:
        _JOB.clear()  # the overlap events are many: not kept past the run


def rebuild(
    now: datetime,
    *,
    workers: int | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    full: bool = False,
) -> derive.Outcome:
    """Re-derive and store every case's obligations and warnings as of `now`. An obligation
    is written when its fingerprint or state differs from the fresh duty's; `full` compares
    every column instead, and so also repairs rows edited behind the application's back."""
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    return _evaluate(ids, now, workers, "patrol.rebuild", progress, chunk, full)


def evaluate_pending(
    now: datetime,
    *,
    workers: int | None = None,
    actor: str = derive.SYSTEM_ACTOR,
    progress: Callable[[int], None] | None = None,
) -> derive.Outcome:
    """Derive the obligations of the cases marked pending by large batches, in parallel."""
    ids = list(PendingCase.objects.order_by("case_id").values_list("case_id", flat=True))
    return _evaluate(ids, now, workers, actor, progress, CHUNK, False)


def _evaluate(
    ids: list[str],
    now: datetime,
    workers: int | None,
    actor: str,
    progress: Callable[[int], None] | None,
    chunk: int,
    full: bool,
) -> derive.Outcome:
    """Derive in parallel, store chunk by chunk: each chunk's obligations and the removal of
    its pending marks commit together."""
    outcome = derive.Outcome()
    if not ids:
        return outcome
    cat, cal = derive.catalogue(), derive.calendar()
    for part in derived_chunks(
        now, workers=_workers(workers), cat=cat, cal=cal, chunk=chunk, case_ids=ids, full=full
    ):
        with transaction.atomic():
            for start in range(0, len(part.stale), derive.PARAMETERS):
                stale = part.stale[start : start + derive.PARAMETERS]
                Obligation.objects.filter(key__in=stale).update(fingerprint=None)
            if part.duties:
                outcome.add(derive.apply_duties(part.duties, part.owners, now, cat, actor=actor))
            PendingCase.objects.filter(case_id__in=list(part.cases)).delete()
        if progress:
            progress(len(part.cases))
    return outcome


def compare(
    now: datetime,
    *,
    workers: int | None = None,
    cat: Catalogue | None = None,
    cal: HolidayCalendar | None = None,
    chunk: int = CHUNK,
    full: bool = False,
) -> Difference:
    """What a rebuild under `cat`/`cal` (default: the ones in force) would change, unwritten."""
    cat, cal = cat or derive.catalogue(), cal or derive.calendar()
    total = Difference([], [], [])
    points = derive.points_by_key(cat)
    for part in derived_chunks(
        now, workers=_workers(workers), cat=cat, cal=cal, chunk=chunk, full=full
    ):
        stored = derive.stored_obligations(list(part.duties))
        found = difference(part.duties, part.owners, now, points, stored)
        total.created += found.created
        total.changed += found.changed
        total.withdrawn += found.withdrawn
    return total


def difference(
    duties: Mapping[str, Sequence[Duty]],
    owned: Mapping[str, derive.Owner],
    now: datetime,
    points: Mapping[tuple[str, str | None], ControlPoint],
    stored: Mapping[str, tuple[object, ...]],
) -> Difference:
    """Every column in which fresh duties differ from the stored obligations of their cases
    (`derive.stored_obligations`)."""
    found = Difference([], [], [])
    fresh: set[str] = set()
    for duty in (d for case_duties in duties.values() for d in case_duties):
        fresh.add(duty.key)
        row = stored.get(duty.key)
        if row is None:
            found.created.append(duty.key)
            continue
        values = derive.fields_of(duty, points[(duty.control_point, duty.version)], now)
        owner = owned[duty.case]
        values.update(unit_id=owner.unit, person_id=owner.person)
        moved = {
            name: (old, values[name])
            for name, old in zip(derive.COLUMNS, row[1:], strict=True)
            if old != values[name]
        }
        if moved:
            found.changed.append((duty.key, moved))
    state_at = 1 + derive.COLUMNS.index("state")
    found.withdrawn.extend(
        key for key, row in stored.items() if key not in fresh and row[state_at] != "withdrawn"
    )
    return found


def _workers(workers: int | None) -> int:
    if workers is not None:
        return workers
    return min(2, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0
