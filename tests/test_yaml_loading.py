"""YAML records: values, line marks, YAML 1.1 traps and refusals."""

from __future__ import annotations

import pytest

from generator.load.yamlfile import YamlProblem, parse_yaml


def test_values_and_line_marks_of_nested_fields():
    doc = parse_yaml(
        b"id: CAPA-2026-001\n"
        b"title: Occlusion alarm late\n"
        b"actions:\n"
        b"  - type: corrective\n"
        b"    owner: USR-002\n"
        b"  - type: preventive\n"
        b"    owner: USR-003\n",
        "records/capa/CAPA-2026-001.yaml",
    )
    assert doc.data["actions"][1] == {"type": "preventive", "owner": "USR-003"}
    assert doc.anchors[("id",)] == (1, -1)
    assert doc.anchors[("actions", 0)] == (4, -1)
    assert doc.anchors[("actions", 1, "owner")] == (7, -1)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("country: NO", "NO"),  # YAML 1.1 would make Norway False
        ("answer: yes", "yes"),
        ("flag: true", True),
        ("flag: False", False),
        ("revision: 0012", "0012"),  # YAML 1.1 would read octal 10
        ("count: 1_000", 1000),
        ("count: -7", -7),
        ("rate: 2.5", 2.5),
        ("rate: 1.0e+3", 1000.0),
        ("day: 2026-02-28", "2026-02-28"),  # dates stay text; the schema types them
        ("nothing: ~", None),
    ],
)
def test_plain_values_are_typed_like_yaml_1_2(text, expected):
    (value,) = parse_yaml(text.encode(), "x.yaml").data.values()
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    "text, code, line, fragment",
    [
        (b"a: 1\nb: [1, 2\n", "QMS101", 3, "YAML syntax error"),
        (b"a: 1\n\tb: 2\n", "QMS101", 2, "YAML syntax error"),
        (b"", "QMS102", 1, "empty"),
        (b"- a\n- b\n", "QMS102", 1, "a list"),
        (b"a: 1\n---\nb: 2\n", "QMS102", 2, "more than one YAML document"),
        (b"a: &x [1, 2]\nb: *x\n", "QMS103", 2, "aliases"),
        (b"a: !!python/object/apply:os.system [ls]\n", "QMS103", 1, "tag"),
        (b"a: 1\nb: 2\na: 3\n", "QMS108", 3, "appears twice"),
        (b"id: X\ntitle: caf\xe9\n", "QMS100", 2, "not UTF-8"),
        (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", "QMS103", 1, "nesting"),
    ],
)
def test_refusals_are_located(text, code, line, fragment):
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text, "f.yaml")
    finding = caught.value.finding
    assert (finding.code, finding.location.line) == (code, line)
    assert fragment in finding.message


def test_tab_indentation_gets_a_hint():
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(b"a:\n\tb: 2\n", "f.yaml")
    assert caught.value.finding.hint == "indent with spaces, not tabs"


def test_oversized_file_is_refused_before_parsing():
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(b"a: " + b"x" * (1 << 20) + b"\n", "big.yaml")
    assert caught.value.finding.code == "QMS103"
    assert str(caught.value.finding.location) == "big.yaml"


def test_billion_laughs_is_refused_quickly():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("\n".join(lines).encode(), "lol.yaml")
    assert caught.value.finding.code == "QMS103"
    assert caught.value.finding.location.line == 2
