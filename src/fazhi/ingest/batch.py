"""A CEIF batch: every record of every file read, checked against each other and the store.

Records may come in any order and point at records later in the batch or already stored, so
the checks that span records (duplicate ids, references, a subject in another case, cycles in
the unit tree) run only after the whole batch is read. Valid records wait in a private SQLite
staging file meanwhile, which keeps memory flat however large the batch is.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import signal
import sqlite3
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

import orjson

from fazhi.core.records import (
    RECORD_TYPE_NAMES_ZH,
    Alarm,
    Case,
    Event,
    Grid,
    Person,
    Record,
    Subject,
    Unit,
    canonical_json,
    digest,
    from_ceif,
    to_ceif,
)
from fazhi.ingest.sources import (
    LineBlock,
    RawLine,
    RawRecord,
    UnreadableFile,
    is_jsonl,
    jsonl_blocks,
    read_lazily,
)
from fazhi.ingest.validate import Problem, validate

_CHUNK = 2000
# Bytes of a JSON Lines file a worker reads at a time: about 2,000 events.
_BLOCK_BYTES = 512 * 1024
# A record's table row waits in staging as plain values in generic columns (the widest table
# has eight), so writing it needs no decoding.
_ROW_WIDTH = 8
_NO_VALUES = (None,) * _ROW_WIDTH
_VALID, _INVALID, _REPEATED = 0, 1, 2


class Store(Protocol):
    """What the batch needs to know about records already stored."""

    def existing_ids(self, rtype: str, ids: list[str]) -> set[str]: ...

    def subject_cases(self, ids: list[str]) -> dict[str, str]: ...

    def unit_parents(self) -> dict[str, str | None]: ...


class EmptyStore:
    """The store of a fresh, private run (the command-line patrol)."""

    def existing_ids(self, rtype: str, ids: list[str]) -> set[str]:
        return set()

    def subject_cases(self, ids: list[str]) -> dict[str, str]:
        return {}

    def unit_parents(self) -> dict[str, str | None]:
        return {}


class Staged(NamedTuple):
    """A valid record ready to be written, with the forms the writer needs (a named tuple:
    one is made per record written)."""

    id: str
    ceif_json: str
    hash: str
    row: tuple[object, ...]  # padded with None to the staging width

    @property
    def record(self) -> Record:
        return from_ceif(orjson.loads(self.ceif_json))


def _single_refs(record: Record) -> tuple[str | None, str | None]:
    """The two single-valued references of a record; their meaning is in `_REF_FIELDS`."""
    if isinstance(record, Unit):
        return record.parent, None
    if isinstance(record, Person):
        return record.unit, None
    if isinstance(record, Grid):
        return record.unit, record.parent
    if isinstance(record, Alarm):
        return record.unit, record.case
    if isinstance(record, Case):
        return record.unit, None
    if isinstance(record, Subject):
        return record.case, None
    assert isinstance(record, Event)
    return record.case, record.subject


# type -> ((field, target type) of ref_a, (field, target type) of ref_b)
_REF_FIELDS: dict[str, tuple[tuple[str, str] | None, tuple[str, str] | None]] = {
    "unit": (("parent", "unit"), None),
    "person": (("unit", "unit"), None),
    "grid": (("unit", "unit"), ("parent", "grid")),
    "alarm": (("unit", "unit"), ("case", "case")),
    "case": (("unit", "unit"), None),
    "subject": (("case", "case"), None),
    "event": (("case", "case"), ("subject", "subject")),
}


def _many_refs(record: Record) -> list[tuple[str, str, str]]:
    """List-valued references: (field, target type, target id)."""
    if isinstance(record, Grid):
        return [(f"officers[{i}]", "person", p) for i, p in enumerate(record.officers)]
    if isinstance(record, Case):
        return [
            (f"handlers[{i}].person", "person", h.person) for i, h in enumerate(record.handlers)
        ]
    if isinstance(record, Event):
        refs = [(f"officers[{i}]", "person", p) for i, p in enumerate(record.officers)]
        decided_by = (record.attrs or {}).get("decided_by")
        if record.kind == "penalty_decided" and decided_by:
            refs.append(("attrs.decided_by", "unit", decided_by))
        return refs
    return []


@dataclass
class Staging:
    """What validating one chunk of raw records produced."""

    rows: list[tuple[object, ...]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected_ids: list[tuple[str, str]] = field(default_factory=list)
    many_targets: set[tuple[str, str]] = field(default_factory=set)


def stage_chunk(
    items: list[RawLine | RawRecord | Problem],
    row_of: Callable[[Record], tuple[object, ...]] | None,
) -> Staging:
    """Validate raw records into staging rows; pure, so it can run in another process."""
    out = Staging()
    for item in items:
        if isinstance(item, RawLine):
            item = item.parse()
        if isinstance(item, Problem):
            out.problems.append(item)
            continue
        result = validate(item.data, item.file, item.line)
        if isinstance(result, list):
            out.problems.extend(result)
            if result[0].type and result[0].id:
                out.rejected_ids.append((result[0].type, result[0].id))
            continue
        ceif = canonical_json(to_ceif(result))
        ref_a, ref_b = _single_refs(result)
        many = _many_refs(result)
        out.many_targets.update((ttype, tid) for _, ttype, tid in many)
        row = row_of(result) if row_of else ()
        out.rows.append(
            (
                result.TYPE,
                result.id,
                digest(ceif),
                item.file,
                item.line,
                ref_a,
                ref_b,
                bool(many),
                ceif,
                *row,
                *_NO_VALUES[len(row) :],
            )
        )
    return out


def stage_block(block: LineBlock, row_of: Callable[[Record], tuple[object, ...]] | None) -> Staging:
    """`stage_chunk` of a block of JSON Lines, split into lines here (in the worker)."""
    return stage_chunk(list(block.lines()), row_of)


Item = RawLine | RawRecord | Problem


def _die_with_parent() -> None:
    """A worker must not outlive an import that was killed (Linux: PR_SET_PDEATHSIG)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_SCHEMA = """
CREATE TABLE rec (
    seq INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, hash TEXT NOT NULL,
    file TEXT NOT NULL, line INTEGER, state INTEGER NOT NULL DEFAULT 0,
    ref_a TEXT, ref_b TEXT, has_many INTEGER NOT NULL, ceif TEXT NOT NULL,
    v0, v1, v2, v3, v4, v5, v6, v7
);
CREATE TABLE rejected_id (
    type TEXT NOT NULL, id TEXT NOT NULL, by_check INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (type, id)
);
CREATE TABLE stored_id (type TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (type, id));
CREATE TABLE looked_up (type TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (type, id));
"""


class Batch:
    """Read files into staging with `add_file`, then `check`, then write `staged()`."""

    def __init__(
        self,
        store: Store,
        workdir: Path | None = None,
        row_of: Callable[[Record], tuple[object, ...]] | None = None,
        workers: int = 0,
    ) -> None:
        self.store = store
        self._row_of = row_of
        self.problems: list[Problem] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="fazhi-batch-", dir=workdir)
        self._db = sqlite3.connect(Path(self._tmp.name) / "staging.sqlite3")
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;" + _SCHEMA
        )
        self._many_targets: set[tuple[str, str]] = set()
        self._executor: ProcessPoolExecutor | None = None
        self.workers = workers
        self.parallel_from_bytes = 1 << 20  # below this a worker pool costs more than it saves
        self.block_bytes = _BLOCK_BYTES
        # called with each chunk's staged rows as they arrive (see `load.EagerWriter`)
        self.on_staged: Callable[[list[tuple[object, ...]]], None] | None = None
        self._problems_read = 0

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
        self._db.close()
        self._tmp.cleanup()

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------

    def add_file(self, path: Path, on_record: Callable[[int], None] | None = None) -> None:
        """Stage every valid record of a file; raises UnreadableFile for a file as a whole.

        Validation is the costly part and each record is checked alone, so with `workers`
        chunks are validated in other processes while this one stages (and writes) the
        chunks before. Workers split JSON Lines themselves; this process only cuts the file
        into blocks of whole lines.
        """
        large = path.is_file() and path.stat().st_size >= self.parallel_from_bytes
        pool = self._pool() if self.workers and large else None
        if pool is None:
            for chunk in _chunks(read_lazily(path), _CHUNK):
                self._take(stage_chunk(chunk, self._row_of), on_record)
            return
        if is_jsonl(path):
            jobs = (
                pool.submit(stage_block, block, self._row_of)
                for block in jsonl_blocks(path, self.block_bytes)
            )
        else:
            jobs = (
                pool.submit(stage_chunk, chunk, self._row_of)
                for chunk in _chunks(read_lazily(path), _CHUNK)
            )
        taken = self._take_in_order(jobs, on_record)
        if is_jsonl(path) and not taken:
            raise UnreadableFile(path.name, "文件为空")

    def _take_in_order(
        self, jobs: Iterator[Future[Staging]], on_record: Callable[[int], None] | None
    ) -> int:
        """Stage the jobs' results in order, keeping a few jobs ahead; how many items."""
        pending: deque[Future[Staging]] = deque()
        taken = 0
        try:
            for job in jobs:
                pending.append(job)
                while len(pending) > 2 * self.workers:
                    taken += self._take(pending.popleft().result(), on_record)
            while pending:
                taken += self._take(pending.popleft().result(), on_record)
        finally:
            for future in pending:
                future.cancel()
        return taken

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_die_with_parent,
            )
        return self._executor

    def _take(self, staging: Staging, on_record: Callable[[int], None] | None) -> int:
        self.problems.extend(staging.problems)
        self._db.executemany(
            "INSERT OR IGNORE INTO rejected_id (type, id) VALUES (?, ?)", staging.rejected_ids
        )
        self._many_targets.update(staging.many_targets)
        self._insert(staging.rows)
        if self.on_staged and staging.rows:
            self.on_staged(staging.rows)
        if on_record:
            on_record(len(staging.rows) + len(staging.problems))
        return len(staging.rows) + len(staging.problems)

    def _insert(self, rows: list[tuple[object, ...]]) -> None:
        self._db.executemany(
            "INSERT INTO rec (type, id, hash, file, line, ref_a, ref_b, has_many, ceif,"
            " v0, v1, v2, v3, v4, v5, v6, v7) VALUES (" + ", ".join("?" * 17) + ")",
            rows,
        )

    # -- checking ----------------------------------------------------------------------------

    def check(self) -> None:
        """Run every cross-record check; rejected records get a problem each."""
        self._db.execute("CREATE INDEX IF NOT EXISTS rec_type_id ON rec (type, id, state)")
        self._problems_read = len(self.problems)
        self._reject_conflicting_duplicates()
        self._resolve_references()
        if self._reject_unit_cycles():
            self._resolve_references()
        self._reject_subjects_of_other_cases()
        self._resolve_references()

    def _reject(self, seq: int, field: str | None, reason: str) -> None:
        self._reject_many([(seq, field, reason)])

    def _reject_many(self, rejections: list[tuple[int, str | None, str]]) -> None:
        """Mark records invalid in bulk: a bad file may reject millions of lines at once."""
        for start in range(0, len(rejections), 500):
            chunk = rejections[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found = {
                row[0]: row[1:]
                for row in self._db.execute(
                    f"SELECT seq, type, id, file, line FROM rec WHERE seq IN ({marks})",
                    [seq for seq, _, _ in chunk],
                )
            }
            self._db.executemany(
                "UPDATE rec SET state = ? WHERE seq = ?", [(_INVALID, seq) for seq, _, _ in chunk]
            )
            self._db.executemany(
                "INSERT OR IGNORE INTO rejected_id VALUES (?, ?, 1)",
                [(found[seq][0], found[seq][1]) for seq, _, _ in chunk],
            )
            for seq, ref_field, reason in chunk:
                rtype, rid, file, line = found[seq]
                self.problems.append(Problem(file, line, rtype, rid, ref_field, reason))

    def _reject_conflicting_duplicates(self) -> None:
        groups = self._db.execute(
            "SELECT type, id FROM rec GROUP BY type, id HAVING COUNT(*) > 1"
        ).fetchall()
        for rtype, rid in groups:
            copies = self._db.execute(
                "SELECT seq, hash, file, line FROM rec WHERE type = ? AND id = ? ORDER BY seq",
                (rtype, rid),
            ).fetchall()
            if len({c[1] for c in copies}) == 1:
                self._db.executemany(
                    "UPDATE rec SET state = ? WHERE seq = ?",
                    [(_REPEATED, c[0]) for c in copies[1:]],
                )
                continue
            places = "、".join(f"{c[2]} 第{c[3]}行" for c in copies)
            reason = f"同一批次中编号“{rid}”出现多次且内容不同（{places}），无法确定以哪条为准"
            self._reject_many([(seq, "id", reason) for seq, *_ in copies])

    def _known_in_store(self, ttype: str, ids: Iterable[str]) -> None:
        """Ask the store once about ids the batch does not hold, remembering the answers."""
        wanted = [
            i
            for i in set(ids)
            if not self._db.execute(
                "SELECT 1 FROM looked_up WHERE type = ? AND id = ?", (ttype, i)
            ).fetchone()
        ]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = self.store.existing_ids(ttype, chunk)
            self._db.executemany("INSERT INTO looked_up VALUES (?, ?)", [(ttype, i) for i in chunk])
            self._db.executemany("INSERT INTO stored_id VALUES (?, ?)", [(ttype, i) for i in found])

    def _resolve_references(self) -> None:
        """Reject records pointing at nothing, until no rejection causes another."""
        while self._reject_dangling_single() + self._reject_dangling_many():
            pass

    def _missing_single(self, rtype: str, column: str, ttype: str) -> list[tuple[int, str]]:
        query = f"""
            SELECT r.seq, r.{column} FROM rec r
            WHERE r.type = ? AND r.state = 0 AND r.{column} IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM rec t WHERE t.type = ? AND t.id = r.{column} AND t.state = 0)
              AND NOT EXISTS (SELECT 1 FROM stored_id s WHERE s.type = ? AND s.id = r.{column})
        """
        return self._db.execute(query, (rtype, ttype, ttype)).fetchall()

    def _reject_dangling_single(self) -> int:
        rejected = 0
        for rtype, fields in _REF_FIELDS.items():
            for column, spec in zip(("ref_a", "ref_b"), fields, strict=True):
                if spec is None:
                    continue
                field, ttype = spec
                missing = self._missing_single(rtype, column, ttype)
                if not missing:
                    continue
                self._known_in_store(ttype, (target for _, target in missing))
                still = self._missing_single(rtype, column, ttype)
                reasons = {t: self._dangling_reason(ttype, t) for t in {t for _, t in still}}
                self._reject_many([(seq, field, reasons[target]) for seq, target in still])
                rejected += len(still)
        return rejected

    def _is_valid_target(self, ttype: str, tid: str) -> bool:
        return bool(
            self._db.execute(
                "SELECT 1 FROM rec WHERE type = ? AND id = ? AND state = 0 UNION ALL "
                "SELECT 1 FROM stored_id WHERE type = ? AND id = ?",
                (ttype, tid, ttype, tid),
            ).fetchone()
        )

    def _reject_dangling_many(self) -> int:
        by_type: dict[str, list[str]] = {}
        for ttype, tid in self._many_targets:
            by_type.setdefault(ttype, []).append(tid)
        for ttype, ids in by_type.items():
            absent = [
                i
                for i in ids
                if not self._db.execute(
                    "SELECT 1 FROM rec WHERE type = ? AND id = ? AND state = 0", (ttype, i)
                ).fetchone()
            ]
            self._known_in_store(ttype, absent)
        missing = {t for t in self._many_targets if not self._is_valid_target(*t)}
        if not missing:
            return 0
        reasons = {target: self._dangling_reason(*target) for target in missing}
        rejections: list[tuple[int, str | None, str]] = []
        rows = self._db.execute("SELECT seq, ceif FROM rec WHERE has_many = 1 AND state = 0")
        for seq, ceif in rows.fetchall():
            for ref_field, ttype, tid in _many_refs(from_ceif(orjson.loads(ceif))):
                if (ttype, tid) in missing:
                    rejections.append((seq, ref_field, reasons[(ttype, tid)]))
                    break
        self._reject_many(rejections)
        return len(rejections)

    def _dangling_reason(self, ttype: str, tid: str) -> str:
        name = RECORD_TYPE_NAMES_ZH[ttype]
        if self._db.execute(
            "SELECT 1 FROM rejected_id WHERE type = ? AND id = ?", (ttype, tid)
        ).fetchone():
            return f"引用的{name}“{tid}”在本批次中无效（见该{name}的错误），数据库中也没有"
        return f"引用的{name}“{tid}”不存在（本批次和数据库中都没有）"

    def _reject_unit_cycles(self) -> bool:
        parents = dict(self.store.unit_parents())
        staged = dict(
            self._db.execute(
                "SELECT id, ref_a FROM rec WHERE type = 'unit' AND state = 0"
            ).fetchall()
        )
        parents.update(staged)
        in_cycle: dict[str, str] = {}
        for start in staged:
            path: list[str] = []
            node: str | None = start
            while node is not None and node not in path and node not in in_cycle:
                path.append(node)
                node = parents.get(node)
            if node is not None and node in path:
                loop = path[path.index(node) :]
                text = " → ".join([*loop, node])
                for member in loop:
                    in_cycle[member] = text
        for unit_id, text in in_cycle.items():
            seqs = self._db.execute(
                "SELECT seq FROM rec WHERE type = 'unit' AND id = ? AND state = 0", (unit_id,)
            ).fetchall()
            for (seq,) in seqs:
                self._reject(seq, "parent", f"上级单位形成循环：{text}")
        return bool(in_cycle)

    def _reject_subjects_of_other_cases(self) -> None:
        rows = self._db.execute(
            """SELECT e.seq, e.ref_a, e.ref_b, s.ref_a FROM rec e
               LEFT JOIN rec s ON s.type = 'subject' AND s.id = e.ref_b AND s.state = 0
               WHERE e.type = 'event' AND e.state = 0 AND e.ref_b IS NOT NULL
                 AND (s.ref_a IS NULL OR s.ref_a <> e.ref_a)"""
        ).fetchall()
        unstaged = [subject for _, _, subject, case in rows if case is None]
        stored_cases: dict[str, str] = {}
        for start in range(0, len(unstaged), 500):
            stored_cases.update(self.store.subject_cases(unstaged[start : start + 500]))
        for seq, case_id, subject_id, staged_case in rows:
            owner = staged_case or stored_cases.get(subject_id)
            if owner is not None and owner != case_id:
                self._reject(
                    seq,
                    "subject",
                    f"涉案人员“{subject_id}”属于案件“{owner}”，不属于本事件的案件“{case_id}”",
                )

    def recheck(self) -> None:
        """Forget what `check` found and check again: the store it asked may have changed
        since (records written early, then rolled back)."""
        del self.problems[self._problems_read :]
        self._db.executescript(
            "UPDATE rec SET state = 0 WHERE state <> 0; DELETE FROM rejected_id WHERE by_check = 1;"
            " DELETE FROM stored_id; DELETE FROM looked_up;"
        )
        self.check()

    # -- results -----------------------------------------------------------------------------

    def count_set_aside(self) -> int:
        """Staged records that `check` rejected or found repeated."""
        return int(self._db.execute("SELECT COUNT(*) FROM rec WHERE state <> 0").fetchone()[0])

    def count_valid(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM rec WHERE state = 0").fetchone()[0])

    def staged(self, rtype: str) -> Iterator[list[Staged]]:
        """Valid records of one type in file order, in chunks, each id once."""
        cursor = self._db.execute(
            "SELECT id, ceif, hash, v0, v1, v2, v3, v4, v5, v6, v7 FROM rec"
            " WHERE type = ? AND state = 0 ORDER BY seq",
            (rtype,),
        )
        while rows := cursor.fetchmany(_CHUNK):
            yield [Staged(r[0], r[1], r[2], r[3:]) for r in rows]

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.file, p.line or 0, p.field or ""))


def staged_of(row: tuple[object, ...]) -> Staged:
    """A `Staged` from a row as `stage_chunk` makes it (before it reaches staging)."""
    return Staged(row[1], row[8], row[2], row[9:])  # type: ignore[arg-type]
