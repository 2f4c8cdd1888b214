"""Figures counted over a user's whole scope (首页's rates, 三清, trends and totals).

Over a city's store (300,000 cases, 1.5 million duties) such counts take seconds, so each is
kept per scope in Django's cache for `settings.FIGURES_MAX_AGE` seconds, stamped with the
time it was counted, and `refresh_due` (run by the scheduler every minute and by
`fazhi patrol tick`) counts again the figures of recently visited scopes shortly before they
expire: a visitor reads them at once. Users whose grants give the same view share one copy.
The warnings themselves — what users act on — are never read from here.

With `FIGURES_MAX_AGE = 0` every figure is counted on each request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string

from fazhi.apps.accounts.scope import AnyUser, scope_key

T = TypeVar("T")

REGISTRY = "figures:scopes"  # scope key → Visit: who to count as, which figures, last visit
REFRESH_LEAD = timedelta(seconds=90)  # count again this long before a copy expires
FORGET_AFTER = timedelta(days=1)  # scopes nobody opened for this long are no longer kept warm
REVISIT = timedelta(minutes=10)  # how stale a visit's time may get before it is written again
COUNTING_LIMIT = timedelta(minutes=10)  # a count's claim lapses after this (its process died)
WAIT_STEP = 0.5  # seconds between looks for a copy another process is counting


@dataclass(frozen=True)
class Counted(Generic[T]):
    value: T
    at: datetime  # when it was counted


@dataclass(frozen=True)
class Visit:
    user_id: int
    counters: frozenset[str]
    at: datetime


def _name(counter: Callable[[AnyUser], Any]) -> str:
    return f"{counter.__module__}.{counter.__qualname__}"


def _key(name: str, scope: str) -> str:
    return f"figures:{name}:{scope}"


def _max_age() -> timedelta:
    return timedelta(seconds=settings.FIGURES_MAX_AGE)


def _claim(name: str, scope: str) -> str:
    return f"{_key(name, scope)}:counting"


def _count(name: str, counter: Callable[[AnyUser], T], user: AnyUser, scope: str) -> Counted[T]:
    """Count and keep; the claim tells other processes a count is under way."""
    claim = _claim(name, scope)
    cache.add(claim, True, timeout=int(COUNTING_LIMIT.total_seconds()))
    try:
        fresh = Counted(counter(user), timezone.now())
        # kept past its age, so that a visitor meets the last copy while it is counted again
        cache.set(_key(name, scope), fresh, timeout=int(FORGET_AFTER.total_seconds()))
        return fresh
    finally:
        cache.delete(claim)


def _awaited(name: str, scope: str) -> Counted[Any] | None:
    """The copy another process is counting, once it is there (None if its claim lapses)."""
    deadline = time.monotonic() + COUNTING_LIMIT.total_seconds()
    while cache.get(_claim(name, scope)) and time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        copy: Counted[Any] | None = cache.get(_key(name, scope))
        if copy is not None:
            return copy
    return cache.get(_key(name, scope))


def counted(counter: Callable[[AnyUser], T], user: AnyUser) -> Counted[T]:
    """`counter(user)` as counted within the last FIGURES_MAX_AGE seconds for the user's scope.
    `counter` must be a module-level function (the scheduler finds it again by name). While
    another process counts a scope's figures, its visitors read the last copy, or wait for
    the first one, rather than count the same seconds-long figures again."""
    if not settings.FIGURES_MAX_AGE:
        return Counted(counter(user), timezone.now())
    name, scope = _name(counter), scope_key(user)
    _remember(scope, name, user)
    kept: Counted[T] | None = cache.get(_key(name, scope))
    if kept is not None and timezone.now() - kept.at < _max_age():
        return kept
    if cache.get(_claim(name, scope)):
        copy = kept or _awaited(name, scope)
        if copy is not None:
            return copy
    return _count(name, counter, user, scope)


def _remember(scope: str, name: str, user: AnyUser) -> None:
    """Note the visit, so that the scheduler keeps this scope's figures warm; written only when
    something is new or the last note is getting old."""
    visits: dict[str, Visit] = cache.get(REGISTRY, {})
    seen = visits.get(scope)
    now = timezone.now()
    if seen and name in seen.counters and now - seen.at < REVISIT:
        return
    counters = (seen.counters if seen else frozenset()) | {name}
    visits[scope] = Visit(user.pk, counters, now)
    cache.set(REGISTRY, visits, timeout=None)


def refresh_due(now: datetime | None = None) -> int:
    """Count again every kept figure of a recently visited scope that expires within
    REFRESH_LEAD (or has expired); forget scopes not visited for a day and users whose grants
    have changed. Returns how many figures were counted."""
    if not settings.FIGURES_MAX_AGE:
        return 0
    now = now or timezone.now()
    visits: dict[str, Visit] = cache.get(REGISTRY, {})
    users = get_user_model().objects.in_bulk([v.user_id for v in visits.values()])
    forgotten, counted_now = set(), 0
    for scope, visit in visits.items():
        user = users.get(visit.user_id)
        if now - visit.at > FORGET_AFTER or user is None or scope_key(user) != scope:
            forgotten.add(scope)
            continue
        for name in visit.counters:
            copy: Counted[Any] | None = cache.get(_key(name, scope))
            due = copy is None or now - copy.at >= _max_age() - REFRESH_LEAD
            if due and not cache.get(_claim(name, scope)):
                _count(name, import_string(name), user, scope)
                counted_now += 1
    if forgotten:  # read again: visits noted while counting stay
        current: dict[str, Visit] = cache.get(REGISTRY, {})
        cache.set(REGISTRY, {s: v for s, v in current.items() if s not in forgotten}, None)
    return counted_now
