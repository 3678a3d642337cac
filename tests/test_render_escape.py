"""Every user string reaching DOT and SVG shows as text: a parametrised table of hostile names,
each drawn by Graphviz and read back from the SVG."""

from __future__ import annotations

import pytest

from lastmile_flows import Process, render_svg
from lastmile_flows.escape import dot_id, dot_lines, dot_text, plain_text
from tests.svgtools import SVG, groups, parse, shown_lines, tooltip

HOSTILE = [
    ("script", "<script>alert(1)</script>", ["<script>alert(1)</script>"]),
    ("html-label", "<<B>bold</B>>", ["<<B>bold</B>>"]),
    ("link", '<a href="https://evil.example">x</a>', ['<a href="https://evil.example">x</a>']),
    ("image", '<IMG SRC="/etc/passwd"/>', ['<IMG SRC="/etc/passwd"/>']),
    ("quotes", "Say \"hi\" and 'bye'", ["Say \"hi\" and 'bye'"]),
    ("braces", "{record|<port> field}", ["{record|<port> field}"]),
    ("node-escape", "Step \\N of \\G", ["Step \\N of \\G"]),
    ("left-escape", "left\\l right\\r", ["left\\l right\\r"]),
    ("trailing", "ends with \\", ["ends with \\"]),
    ("quote-escape", 'slash-quote \\" end', ['slash-quote \\" end']),
    ("entity", "&amp; &lt;b&gt; &#60;", ["&amp; &lt;b&gt; &#60;"]),
    ("unicode", "Zürich \u2013 東京 ✓", ["Zürich \u2013 東京 ✓"]),
    ("newline", "first line\nsecond line", ["first line", "second line"]),
    ("control", "bell\x07 nul\x00 esc\x1b[31m", ["bell  nul  esc [31m"]),
    ("bidi", "abc\u202edef", ["abc def"]),
    ("dot-syntax", '"]; evil [label="x', ['"]; evil [label="x']),
]


def _process(name: str) -> Process:
    return Process.parse(
        {
            "id": "p",
            "name": name,
            "roles": [{"id": "clerk", "name": name}],
            "steps": [
                {
                    "id": "s",
                    "name": name,
                    "role": "clerk",
                    "notes": name,
                    "edge_cases": [{"id": "e", "name": name, "rate": 0.1, "owner": "clerk"}],
                }
            ],
        }
    )


@pytest.mark.parametrize(("case", "name", "lines"), HOSTILE, ids=[c for c, _, _ in HOSTILE])
def test_hostile_name_shows_as_text_everywhere(case: str, name: str, lines: list[str]) -> None:
    svg = render_svg(_process(name))
    root = parse(svg)
    found = groups(root)

    # long names wrap, so compare the text with its spaces taken out
    def squeeze(items: list[str]) -> str:
        return "".join(items).replace("\xa0", "").replace(" ", "")

    step_lines = shown_lines(found["step-s"])
    assert squeeze(step_lines[:-1]) == squeeze(lines)
    if len(name) <= 20:
        # words wrap: a run of spaces (a control character shown as one) is one space
        case_lines = [" ".join(line.split()) for line in shown_lines(found["edge-case-e"])]
        assert case_lines[: len(lines)] == [" ".join(line.split()) for line in lines]
    assert plain_text(name) in tooltip(found["step-s"])
    # nothing a user wrote became markup: no scripts, links, images or foreign objects
    for tag in ("script", "a", "image", "foreignObject", "use", "iframe"):
        assert root.find(f".//{SVG}{tag}") is None, tag
    for element in root.iter():
        for key in element.attrib:
            attribute = str(key)
            assert not attribute.endswith("href"), (element.tag, attribute)
            assert not attribute.startswith("on"), (element.tag, attribute)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("a\\N", '"a\\\\N"'),
        ("end\\", '"end\\\\"'),
        ('q"q', '"q\\"q"'),
        ("<b>", '"<b>"'),
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab here"'),
    ],
)
def test_dot_text_table(text: str, expected: str) -> None:
    assert dot_text(text) == expected


def test_dot_lines_left_justifies_each_line() -> None:
    assert dot_lines(["a", "b\\"], left=True) == '"a\\lb\\\\\\l"'


@pytest.mark.parametrize(
    ("name", "expected"),
    [("step-a", '"step-a"'), ("simple", "simple"), ("node", '"node"'), ('x"y', '"x\\"y"')],
)
def test_dot_id_quotes_keywords_and_punctuation(name: str, expected: str) -> None:
    assert dot_id(name) == expected
