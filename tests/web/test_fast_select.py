"""FastSelect writes the same <select> as Django's template-rendered Select."""

from __future__ import annotations

import re

from django import forms

from fazhi.web.filters import FastSelect, ListFilter

CHOICES = [("", "全部"), ("U1", "某市公安局"), ("U2", "甲派出所 <直属>"), ("U&3", "乙\"所")]


def _parts(html: str) -> tuple[str, list[tuple[str, bool, str]]]:
    head = re.match(r"<select[^>]*>", html)[0]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    return head, [(value, bool(selected), label) for value, selected, label in options]


def test_fast_select_renders_what_django_renders():
    for value in ("", "U2", "U&3", "missing"):
        fast = _parts(FastSelect(choices=CHOICES).render("unit", value, {"id": "id_unit"}))
        django = _parts(forms.Select(choices=CHOICES).render("unit", value, {"id": "id_unit"}))
        assert fast[1] == django[1], value
        assert set(re.findall(r'(\w+)="([^"]*)"', fast[0])) == set(
            re.findall(r'(\w+)="([^"]*)"', django[0])
        )
    html = FastSelect(choices=CHOICES).render("unit", "U2", None)
    assert "甲派出所 &lt;直属&gt;" in html and 'value="U&amp;3"' in html


def test_list_filters_use_it_and_keep_choices_set_after_construction():
    class Filter(ListFilter):
        unit = forms.ChoiceField(required=False)

    form = Filter({"unit": "U2"})
    form.fields["unit"].choices = CHOICES
    assert isinstance(form.fields["unit"].widget, FastSelect)
    assert '<option value="U2" selected>' in str(form["unit"])
