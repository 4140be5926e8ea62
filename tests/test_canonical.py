"""Canonical content: what approvals sign and review stamps fingerprint."""

from __future__ import annotations

import hashlib

from generator.load.records import to_record
from generator.load.source import Source
from generator.load.yamlfile import parse_yaml
from generator.model.canonical import canonical_bytes, content_hash, fingerprint


def _record(text: str):
    doc = parse_yaml(text.encode(), "x.yaml")
    record, findings = to_record(doc.data, None, Source("x.yaml"))
    assert findings == []
    return record


BLOCK = """\
# a comment does not change content
id: REQ-0007
title: Occlusion alarm
status: approved
statement: The pump shall alarm within 30 s of a downstream occlusion.
derived_from:
  - UN-002
"""

FLOW_REORDERED_STAMPED = """\
statement: "The pump shall alarm within 30 s of a downstream occlusion."
derived_from: [{UN-002: 0badf00d}]
status: in_review
title: Occlusion alarm
id: REQ-0007
"""


def test_formatting_order_stamps_and_status_do_not_change_the_hash():
    assert content_hash(_record(BLOCK)) == content_hash(_record(FLOW_REORDERED_STAMPED))


def test_the_hash_is_sha256_of_sorted_compact_json_without_defaults():
    expected_json = ('{"derived_from":["UN-002"],"id":"REQ-0007",'
                     '"statement":"The pump shall alarm within 30 s of a downstream occlusion.",'
                     '"title":"Occlusion alarm"}')
    record = _record(BLOCK)
    assert canonical_bytes(record) == expected_json.encode()
    assert content_hash(record) == hashlib.sha256(expected_json.encode()).hexdigest()
    assert fingerprint(record) == content_hash(record)[:8]


def test_a_content_change_changes_the_hash():
    changed = BLOCK.replace("30 s", "20 s")
    assert content_hash(_record(changed)) != content_hash(_record(BLOCK))
