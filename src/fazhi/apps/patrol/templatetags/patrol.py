"""What the patrol's includes on other pages read (the case page, the person page, 首页): each include gets
only the host page's context, so it asks for its own figures through these tags, in the
signed-in user's scope."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.apps.patrol import selectors
from fazhi.apps.patrol.views import point_name

register = template.Library()


@register.simple_tag(takes_context=True)
def case_patrol(context: dict[str, Any], case: Any) -> list[dict[str, Any]]:
    """The case's duties the user sees, each with its control point's name and its warning."""
    rows = selectors.case_obligations(context["request"].user, case.pk)
    return [
        {
            "obligation": ob,
            "point": point_name(ob.control_point, ob.version),
            "warning": selectors.warning_of(ob),
        }
        for ob in rows
    ]


@register.simple_tag(takes_context=True)
def person_patrol(context: dict[str, Any], person: Any) -> selectors.PersonWarnings:
    return selectors.person_warnings(context["request"].user, person.pk)


@register.simple_tag(takes_context=True)
def patrol_dashboard(context: dict[str, Any]) -> selectors.Dashboard:
    return selectors.dashboard(context["request"].user)


@register.filter
def control_point_name(code: str) -> str:
    return point_name(code)
