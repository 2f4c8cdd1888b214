"""One case's events while it is being generated, its defect candidates, and its output.

A case's timeline is first generated complete and clean. If the case was chosen for a defect,
one of the candidates the generator offered on the way is applied. Then everything after the
end of the generated period is cut off, which leaves recent cases open mid-way, as a live
case-handling system would show them.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

from fazhi.demo.clock import iso
from fazhi.demo.scope import in_scope

Defect = tuple[str, str, str | None, str]  # control point, defect kind, subject, note


class Ev:
    __slots__ = ("kind", "at", "end", "subject", "officers", "attrs")

    def __init__(self, kind: str, at: int, subject: str | None, officers: list[str],
                 attrs: dict[str, Any] | None, end: int | None) -> None:
        self.kind = kind
        self.at = at
        self.end = end
        self.subject = subject
        self.officers = officers
        self.attrs = attrs


class Timeline:
    def __init__(self, case_id: str, cutoff: int, wants_defect: bool) -> None:
        self.case_id = case_id
        self.cutoff = cutoff
        self.wants_defect = wants_defect
        self.public_order = False  # set by the generator once the case is known (治安案件)
        self.events: list[Ev] = []
        self._offers: list[tuple[str, str, str | None, Callable[[], str | None]]] = []

    def add(self, kind: str, at: int, subject: str | None = None, officers: list[str] | None = None,
            attrs: dict[str, Any] | None = None, end: int | None = None) -> Ev:
        ev = Ev(kind, at, subject, officers if officers is not None else [], attrs, end)
        self.events.append(ev)
        return ev

    def offer(self, code: str, defect: str, subject: str | None,
              apply: Callable[[], str | None], at: int | None = None) -> None:
        """A possible defect: `apply` changes the timeline and returns the note, or returns
        None and changes nothing when the defect would not show by the cutoff. `at` is when
        the act that starts the control point happened: a defect is only offered where its
        point is in force on that day and applies to the case (`scope.in_scope`)."""
        if self.wants_defect and in_scope(code, at, self.public_order):
            self._offers.append((code, defect, subject, apply))

    def inject(self, rng: Random) -> Defect | None:
        for code, defect, subject, apply in rng.sample(self._offers, len(self._offers)):
            note = apply()
            if note is not None:
                return code, defect, subject, note
        return None

    def records(self) -> list[dict[str, Any]]:
        """The events up to the cutoff, in time order, with ids in that order."""
        cutoff = self.cutoff
        kept = [ev for ev in self.events
                if ev.at <= cutoff and (ev.end is None or ev.end <= cutoff)]
        kept.sort(key=lambda ev: ev.at)
        prefix = f"E-{self.case_id}-"
        out = []
        for n, ev in enumerate(kept, 1):
            rec: dict[str, Any] = {"type": "event", "id": f"{prefix}{n:02d}", "case": self.case_id,
                                   "kind": ev.kind}
            if ev.subject:
                rec["subject"] = ev.subject
            rec["at"] = iso(ev.at)
            if ev.end is not None:
                rec["end"] = iso(ev.end)
            rec["officers"] = ev.officers
            if ev.attrs:
                rec["attrs"] = ev.attrs
            out.append(rec)
        return out
