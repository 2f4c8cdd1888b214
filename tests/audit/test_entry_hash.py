"""The entry hash keeps its published formula: chains written before stay verifiable."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from fazhi.apps.audit.chain import Change, entry_hash

text = st.text(max_size=40)


def reference(seq: int, at_text: str, change: Change, prev_hash: str) -> str:
    """The formula as first written: every field length-prefixed, "-" for a missing one."""
    fields = (
        str(seq),
        at_text,
        change.actor,
        change.action,
        change.object_type,
        change.object_id,
        change.before,
        change.after,
        "" if change.batch_id is None else str(change.batch_id),
        prev_hash,
    )
    payload = "".join("-" if f is None else f"{len(f)}:{f}" for f in fields)
    return hashlib.sha256(payload.encode()).hexdigest()


@given(
    seq=st.integers(min_value=1, max_value=10**12),
    at_text=text,
    parts=st.tuples(text, text, text, text),
    before=st.none() | text,
    after=st.none() | text,
    batch=st.none() | st.integers(min_value=1, max_value=10**9),
    prev=text,
)
def test_the_hash_follows_the_published_formula(seq, at_text, parts, before, after, batch, prev):
    change = Change(*parts, before, after, batch)
    assert entry_hash(seq, at_text, change, prev) == reference(seq, at_text, change, prev)


def test_a_known_entry_keeps_its_hash():
    """A golden value: an entry of a chain written with the first formula."""
    change = Change("import", "create", "case", "A1", None, '{"id":"A1"}', 7)
    at = "2026-03-01T02:00:00.000000+00:00"
    assert entry_hash(1, at, change, "0" * 64) == (
        "1646551674695ddd757c25e958196bb0c65d1504013ca8d2f1b85fe41c1cc4c6"
    )
