"""What a user may see, in one place. Every read of business data starts here.

A grant of a unit-scope role covers the unit's subtree; an officer sees the cases they
handle; the three administrators (三员分立) see no case data unless they also hold a business
role. Each function returns a lazy query, so a page's reads stay one query each.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from fazhi.apps.accounts.models import UNIT_SCOPE_ROLES, Grant, Role
from fazhi.apps.assessment.models import LedgerEntry
from fazhi.apps.cases.models import Alarm, Case, CaseHandler, Event, Subject
from fazhi.apps.org.models import Grid, Person, Unit, UnitClosure
from fazhi.apps.patrol.models import Obligation, Warning

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)

# Roles that may see import batches (what was loaded, by whom): the data's owners and the
# administrator who runs imports. Batches hold counts only, no case data.
IMPORT_ROLES = frozenset({Role.LEGAL_DEPARTMENT, Role.BUREAU_LEADER, Role.SYSTEM_ADMIN})


def visible_units(user: AnyUser) -> QuerySet[UnitClosure, dict[str, Any]]:
    """Ids of the units whose data the user sees, as a subquery: `filter(unit__in=…)`."""
    granted = Grant.objects.filter(user_id=user.pk, role__in=UNIT_SCOPE_ROLES).values("unit_id")
    return UnitClosure.objects.filter(ancestor_id__in=granted).values("descendant_id")


def scope_key(user: AnyUser) -> str:
    """What determines the user's view of business data: the units of their unit-scope grants
    and, with an officer grant, the person whose cases they handle. Users with equal keys see
    the same rows, so figures counted for one hold for the other."""
    units = sorted(
        set(
            Grant.objects.filter(user_id=user.pk, role__in=UNIT_SCOPE_ROLES).values_list(
                "unit_id", flat=True
            )
        )
    )
    person = (
        Person.objects.filter(account__user_id=user.pk).values_list("pk", flat=True).first()
        if holds_officer_grant(user)
        else None
    )
    return hashlib.sha256(json.dumps([units, person]).encode()).hexdigest()[:32]


def own_case_ids(user: AnyUser) -> QuerySet[CaseHandler, dict[str, Any]]:
    """Ids of the cases the user handles as the linked person, if they hold an officer grant."""
    return CaseHandler.objects.filter(
        person__account__user_id=user.pk, person__account__user__grants__role=Role.OFFICER
    ).values("case_id")


def holds_officer_grant(user: AnyUser) -> bool:
    """Asked once per user object: a request's user lives as long as the request."""
    known = getattr(user, "_holds_officer_grant", None)
    if known is None:
        known = Grant.objects.filter(user_id=user.pk, role=Role.OFFICER).exists()
        user._holds_officer_grant = known  # type: ignore[union-attr]
    return known


def _units_or_own_cases(user: AnyUser, case_field: str) -> Q:
    """Rows of the user's units, or of the cases they handle. The second term is added only
    for holders of an officer grant: an OR over two columns keeps SQLite from searching the
    unit index, and most supervisors hold no officer grant."""
    where = Q(unit__in=visible_units(user))
    if holds_officer_grant(user):
        where |= Q(**{f"{case_field}__in": own_case_ids(user)})
    return where


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    return Case.objects.filter(_units_or_own_cases(user, "pk"))


def visible_alarms(user: AnyUser) -> QuerySet[Alarm]:
    return Alarm.objects.filter(_units_or_own_cases(user, "case"))


def visible_subjects(user: AnyUser) -> QuerySet[Subject]:
    return Subject.objects.filter(case__in=visible_cases(user).values("pk"))


def visible_events(user: AnyUser) -> QuerySet[Event]:
    return Event.objects.filter(case__in=visible_cases(user).values("pk"))


def visible_obligations(user: AnyUser) -> QuerySet[Obligation]:
    """The duties of the cases the user sees (an obligation's unit is its case's unit)."""
    return Obligation.objects.filter(_units_or_own_cases(user, "case"))


def visible_warnings(user: AnyUser) -> QuerySet[Warning]:
    return Warning.objects.filter(_units_or_own_cases(user, "case"))


def visible_unit_rows(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=visible_units(user))


def visible_people(user: AnyUser) -> QuerySet[Person]:
    return Person.objects.filter(unit__in=visible_units(user))


def visible_grids(user: AnyUser) -> QuerySet[Grid]:
    return Grid.objects.filter(unit__in=visible_units(user))


def visible_files(user: AnyUser) -> QuerySet[Person]:
    """People whose enforcement file (执法档案) the user may open: those of their units, and
    themselves as the linked person (an officer reads and appeals their own points)."""
    return Person.objects.filter(Q(unit__in=visible_units(user)) | Q(account__user_id=user.pk))


def visible_ledger(user: AnyUser) -> QuerySet[LedgerEntry]:
    """Points ledger entries of the people whose files the user may open."""
    return LedgerEntry.objects.filter(person__in=visible_files(user).values("pk"))


def sees_imports(user: AnyUser) -> bool:
    return Grant.objects.filter(user_id=user.pk, role__in=IMPORT_ROLES).exists()


VISIBLE: dict[type[Model], Callable[[AnyUser], QuerySet[Any]]] = {
    Unit: visible_unit_rows,
    Person: visible_people,
    Grid: visible_grids,
    Alarm: visible_alarms,
    Case: visible_cases,
    Subject: visible_subjects,
    Event: visible_events,
    Obligation: visible_obligations,
    Warning: visible_warnings,
}


def get_visible_or_404(model: type[M], user: AnyUser, **lookup: Any) -> M:
    """The one object the lookup names, if the user may see it; out of scope reads as absent."""
    return get_object_or_404(VISIBLE[model](user), **lookup)
