"""Run in the server's environment (`python -m tests.browser.accounts`): the browser tests'
users, made through the accounts services as an administrator would."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from fazhi.cli import setup_django

PASSWORD = "Xq7!long-enough"
USERS = {
    "legal": ("legal_department", "U1"),  # the legal department: every case, imports
    "head2": ("unit_head", "U2"),  # head of 甲派出所: its cases
    "head3": ("unit_head", "U3"),  # head of the sibling 乙派出所: none of 甲's cases
    "locked": ("unit_head", "U2"),  # only ever given wrong passwords
}


def main() -> None:
    from fazhi.apps.accounts.services import grant_role
    from fazhi.apps.org.models import Unit

    for username, (role, unit) in USERS.items():
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        grant_role(user, role, Unit.objects.get(pk=unit), by=None, at=timezone.now())


if __name__ == "__main__":
    setup_django()
    main()
