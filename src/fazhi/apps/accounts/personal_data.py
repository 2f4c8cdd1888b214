"""Subjects' personal data (姓名、身份证号码、出生日期): who sees it in full, how it is masked,
and how one subject's data is revealed on the record. The one place pages and API decide.

The policy — a user sees a subject's data in full when their work on the case needs it:
- 法制员, 所队长, 法制部门: for cases of their granted unit's subtree (they review, approve
  and answer for those cases, and identify people in documents);
- 民警: for the cases they handle (with an officer grant and a linked person, as in `scope`);
- everyone else who may see the case — 局领导 (oversight reads figures and process, not
  identities), and any role above held without one of the grants just named — sees masked data
  (张*, 1101**********1234, 1990-**-**) and may reveal one subject at a time; each reveal is
  an audit entry (`reveal`, object `subject`, with the case and the fields shown).
The three administrators see no case at all (`scope`), so no subject either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.accounts.scope import AnyUser, own_case_ids
from fazhi.apps.audit.chain import Change, record
from fazhi.apps.audit.models import AuditAction
from fazhi.apps.cases.models import Case, Subject
from fazhi.apps.org.models import UnitClosure
from fazhi.core.records import canonical_json

FULL_VIEW_ROLES = frozenset({Role.LEGAL_OFFICER, Role.UNIT_HEAD, Role.LEGAL_DEPARTMENT})
PERSONAL_FIELDS = ("name", "id_number", "birth_date")
REVEAL_OBJECT_TYPE = "subject"


def cases_with_personal_data(user: AnyUser) -> QuerySet[Case, dict[str, Any]]:
    """Ids of the cases whose subjects the user sees unmasked, as a subquery."""
    granted = Grant.objects.filter(user_id=user.pk, role__in=FULL_VIEW_ROLES).values("unit_id")
    units = UnitClosure.objects.filter(ancestor_id__in=granted).values("descendant_id")
    return Case.objects.filter(Q(unit__in=units) | Q(pk__in=own_case_ids(user))).values("pk")


def sees_personal_data(user: AnyUser, case_id: str) -> bool:
    """Whether the user sees the subjects of this case unmasked (one query)."""
    return cases_with_personal_data(user).filter(pk=case_id).exists()


def mask_name(name: str | None) -> str | None:
    """张三丰 → 张**: the first character stays, enough to tell a case's subjects apart."""
    if not name:
        return name
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_id_number(number: str | None) -> str | None:
    """110101199001021234 → 1101**********1234: the province and city stay, the birth date and
    sequence go; the last four stay so a user can match a document in hand."""
    if not number:
        return number
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_birth_date(born: date | None) -> str | None:
    """Only the year stays (age bands such as 未成年 can still be judged)."""
    return None if born is None else f"{born.year}-**-**"


@dataclass(frozen=True)
class SubjectData:
    """A subject as a page or the API shows it to one user."""

    id: str
    name: str | None
    id_number: str | None
    birth_date: str | None  # YYYY-MM-DD, or masked
    masked: bool


def subject_data(subject: Subject, *, shown: bool) -> SubjectData:
    if shown:
        born = subject.birth_date.isoformat() if subject.birth_date else None
        return SubjectData(subject.pk, subject.name, subject.id_number, born, False)
    return SubjectData(
        subject.pk,
        mask_name(subject.name),
        mask_id_number(subject.id_number),
        mask_birth_date(subject.birth_date),
        True,
    )


def reveal(user: AnyUser, subject: Subject, *, at: datetime) -> SubjectData:
    """Show one subject's data in full to a user who may see its case (the caller has read the
    subject through `scope`), and put that on the audit trail."""
    with transaction.atomic():
        record(
            Change(
                actor=user.get_username()[:150],
                action=AuditAction.REVEAL.value,
                object_type=REVEAL_OBJECT_TYPE,
                object_id=subject.pk[:64],
                before=None,
                after=canonical_json({"case": subject.case_id, "fields": list(PERSONAL_FIELDS)}),
            ),
            at,
        )
    return subject_data(subject, shown=True)
