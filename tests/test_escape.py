"""Every user string reaching Markdown is shown literally: a parametrised table."""

from __future__ import annotations

import pytest

from lastmile_flows.escape import markdown, markdown_code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Check price", "Check price"),
        ("a.b-c (d) #1", "a.b-c (d) #1"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[click](http://evil.example)", "\\[click\\](http://evil.example)"),
        ("![img](x.png)", "!\\[img\\](x.png)"),
        ("a | b", "a \\| b"),
        ("*bold* _it_ ~~gone~~", "\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~"),
        ("`code`", "\\`code\\`"),
        ("back\\slash", "back\\\\slash"),
        ("&amp;", "\\&amp;"),
        ("two\nlines\r\nthree\u2028four", "two lines three four"),
        ("Größe ✓ 价格", "Größe ✓ 价格"),
    ],
)
def test_markdown_escapes_inline_syntax(text: str, expected: str) -> None:
    assert markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("dup_po", "`dup_po`"), ("a`b", "a\\`b"), ("has space", "has space")],
)
def test_markdown_code_only_wraps_plain_ids(text: str, expected: str) -> None:
    assert markdown_code(text) == expected
