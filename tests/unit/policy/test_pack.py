"""SCP packing: size limit, every statement once, independent of input order (hypothesis)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landing_zone.policy.document import SCP_MAX, minify
from landing_zone.policy.pack import PackingError, StatementGroup, pack

statement = st.builds(
    lambda sid, n: {"Sid": sid, "Effect": "Deny", "Action": [f"s3:Get{'x' * n}"], "Resource": "*"},
    st.text(alphabet="ABCDEFGHIJ0123456789", min_size=1, max_size=8), st.integers(0, 1800))
groups = st.lists(
    st.builds(lambda cid, stmts: StatementGroup(cid, tuple(stmts)),
              st.text(alphabet="ABCDEFGH-_", min_size=3, max_size=10), st.lists(statement, min_size=1, max_size=4)),
    min_size=1, max_size=8, unique_by=lambda g: g.control)


def _flatten(documents) -> list[str]:
    return sorted(minify(s) for d in documents for s in d.document["Statement"])


@settings(max_examples=150, deadline=None)
@given(groups, st.randoms())
def test_packing_properties(input_groups, rnd):
    try:
        documents = pack(input_groups, available=40)
    except PackingError:
        return
    assert all(len(minify(d.document)) <= SCP_MAX for d in documents)
    assert _flatten(documents) == sorted(minify(s) for g in input_groups for s in g.statements)
    shuffled = list(input_groups)
    rnd.shuffle(shuffled)
    again = pack(shuffled, available=40)
    assert [json.dumps(d.document) for d in again] == [json.dumps(d.document) for d in documents]


def test_small_controls_share_one_document():
    docs = pack([StatementGroup("B", ({"Sid": "B"},)), StatementGroup("A", ({"Sid": "A"},))], available=4)
    assert [d.controls for d in docs] == [("A", "B")]
    assert docs[0].document == {"Version": "2012-10-17", "Statement": [{"Sid": "A"}, {"Sid": "B"}]}


def test_exactly_the_limit_fits():
    overhead = len(minify({"Version": "2012-10-17", "Statement": [{"Sid": ""}]}))
    big = StatementGroup("A", ({"Sid": "x" * (SCP_MAX - overhead)},))
    (doc,) = pack([big], available=1)
    assert doc.size == SCP_MAX
    with pytest.raises(PackingError):
        pack([StatementGroup("A", ({"Sid": "x" * (SCP_MAX - overhead + 1)},))], available=1)


def test_too_many_documents_names_the_sizes():
    groups = [StatementGroup(c, ({"Sid": c * 3000},)) for c in "ABC"]
    with pytest.raises(PackingError) as exc:
        pack(groups, available=2)
    assert "needs 3 SCP document(s)" in str(exc.value) and "only 2 can be attached" in str(exc.value)
    assert "A (3010)" in str(exc.value)
