"""Every user string reaching Markdown is shown literally: a parametrised table."""

from __future__ import annotations

import pytest

from lastmile_flows.escape import markdown, markdown_code, plain_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Check price", "Check price"),
        ("a.b-c (d) #1", "a.b-c (d) #\u20601"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[click](http://evil.example)", "\\[click\\](http\u2060://evil.example)"),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tab\there", "tab here"),
        ("bell\u0007", "bell "),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("non\ufffecharacter\uffff", "non\ufffdcharacter\ufffd"),
        ("plane 16 \U0010ffff, \ufdd0", "plane 16 \ufffd, \ufffd"),
        ("family \U0001f468\u200d\U0001f469", "family \U0001f468\u200d\U0001f469"),
    ],
)
def test_text_no_output_can_hold_is_replaced(text: str, expected: str) -> None:
    assert plain_text(text) == expected
    assert markdown(text) == expected
    expected.encode("utf-8")  # every output format writes UTF-8
