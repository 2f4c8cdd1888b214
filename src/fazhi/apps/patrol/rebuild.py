"""Re-derive every obligation from the stored records, in parallel over chunks of cases.

Workers (forked processes, each with its own database connection) read a chunk's records
and run the same per-case core code as an import (`derive.derive`); the parent applies each
chunk's duties with the same `derive.apply_duties`, one transaction per chunk. On a store
kept up to date by imports, a rebuild changes nothing — a test holds the two paths equal.
`dry_run` computes and compares without writing (what `patrol diff` and the test use).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db import connections, transaction

from fazhi.apps.cases.models import Case
from fazhi.apps.patrol import derive
from fazhi.apps.patrol.models import PendingCase
from fazhi.apps.patrol.timelines import OverlapSource, all_units, load_timelines
from fazhi.core.catalog.model import Catalogue
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


Chunk = tuple[dict[str, list[Duty]], dict[str, derive.Owner]]


def _derive_chunk(case_ids: Sequence[str]) -> Chunk:
    now: datetime = _JOB["now"]  # type: ignore[assignment]
    timelines = load_timelines(case_ids, now, _JOB["overlap"], _JOB["units"])  # type: ignore[arg-type]
    duties = derive.derive(
        timelines,
        _JOB["catalogue"],  # type: ignore[arg-type]
        now,
        _JOB["calendar"],  # type: ignore[arg-type]
        _JOB["names"],  # type: ignore[arg-type]
    )
    # a case not yet opened as of `now` has no timeline, and so no obligations
    return {case_id: [] for case_id in case_ids} | duties, derive.owners(timelines)


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
) -> Iterator[Chunk]:
    """Each chunk's duties and owners by case, in order, computed by `workers` processes (0: here)."""
    ids = (
        list(case_ids)
        if case_ids is not None
        else list(Case.objects.order_by("pk").values_list("pk", flat=True))
    )
    names, _ = derive.supplied()
    # loaded once here, before the fork: the workers share one copy of the overlap events
    overlap = OverlapSource(overlap_kinds(cat), now, preload=True)
    _JOB.update(
        now=now, catalogue=cat, calendar=cal, names=names, overlap=overlap, units=all_units()
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
                    pool, _derive_chunk, _chunks(ids, chunk), ahead=2 * workers
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
) -> derive.Outcome:
    """Re-derive and store every case's obligations and warnings as of `now`."""
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    return _evaluate(ids, now, workers, "patrol.rebuild", progress, chunk)


def evaluate_pending(
    now: datetime,
    *,
    workers: int | None = None,
    actor: str = derive.SYSTEM_ACTOR,
    progress: Callable[[int], None] | None = None,
) -> derive.Outcome:
    """Derive the obligations of the cases marked pending by large batches, in parallel."""
    ids = list(PendingCase.objects.order_by("case_id").values_list("case_id", flat=True))
    return _evaluate(ids, now, workers, actor, progress, CHUNK)


def _evaluate(
    ids: list[str],
    now: datetime,
    workers: int | None,
    actor: str,
    progress: Callable[[int], None] | None,
    chunk: int,
) -> derive.Outcome:
    """Derive in parallel, store chunk by chunk: each chunk's obligations and the removal of
    its pending marks commit together."""
    outcome = derive.Outcome()
    if not ids:
        return outcome
    cat, cal = derive.catalogue(), derive.calendar()
    for duties, owned in derived_chunks(
        now, workers=_workers(workers), cat=cat, cal=cal, chunk=chunk, case_ids=ids
    ):
        with transaction.atomic():
            outcome.add(derive.apply_duties(duties, owned, now, cat, actor=actor))
            PendingCase.objects.filter(case_id__in=list(duties)).delete()
        if progress:
            progress(len(duties))
    return outcome


def compare(
    now: datetime,
    *,
    workers: int | None = None,
    cat: Catalogue | None = None,
    cal: HolidayCalendar | None = None,
    chunk: int = CHUNK,
) -> Difference:
    """What a rebuild under `cat`/`cal` (default: the ones in force) would change, unwritten."""
    cat, cal = cat or derive.catalogue(), cal or derive.calendar()
    difference = Difference([], [], [])
    for duties, owned in derived_chunks(
        now, workers=_workers(workers), cat=cat, cal=cal, chunk=chunk
    ):
        stored = derive.stored_obligations(list(duties))  # as `apply_duties` reads them
        points = derive.points_by_key(cat)
        fresh: set[str] = set()
        for duty in (d for case_duties in duties.values() for d in case_duties):
            fresh.add(duty.key)
            row = stored.get(duty.key)
            if row is None:
                difference.created.append(duty.key)
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
                difference.changed.append((duty.key, moved))
        difference.withdrawn.extend(
            key
            for key, row in stored.items()
            if key not in fresh and row[1 + derive.COLUMNS.index("state")] != "withdrawn"
        )
    return difference


def _workers(workers: int | None) -> int:
    if workers is not None:
        return workers
    return min(2, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0
