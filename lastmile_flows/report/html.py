"""Small pieces of an HTML document built with lxml: elements, tables, inline SVG.

Every text goes in as element text (lxml escapes it) after :func:`~lastmile_flows.escape.
plain_text` has taken out control characters; no markup is ever built from strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Union

from lxml import etree

from lastmile_flows.escape import plain_text
from lastmile_flows.render.svg import embeddable
from lastmile_flows.render.svgkit import SVG

__all__ = ["Cell", "add", "code", "inline_svg", "serialise", "table"]

Cell = Union[str, etree._Element, None]
"""A table cell: text, an element, or nothing."""

XLINK_NS = "http://www.w3.org/1999/xlink"


def add(
    parent: etree._Element | None,
    tag: str,
    text: str | None = None,
    *,
    cls: str | None = None,
    **attrs: str,
) -> etree._Element:
    """A new element (under ``parent``, when given) holding ``text``."""
    attrib = dict(attrs)
    if cls:
        attrib["class"] = cls
    element = (
        etree.Element(tag, attrib) if parent is None else etree.SubElement(parent, tag, attrib)
    )
    if text is not None:
        element.text = plain_text(text)
    return element


def code(parent: etree._Element | None, text: str) -> etree._Element:
    """An identifier in ``<code>``, breakable after each ``.`` and ``_`` (never mid-word), so
    ``edge_case.tribal_knowledge_at_risk`` wraps in a narrow column."""
    element = add(parent, "code")
    pieces = re.split(r"(?<=[._])", plain_text(text))
    element.text = pieces[0]
    for piece in pieces[1:]:
        add(element, "wbr").tail = piece
    return element


def _cell(row: etree._Element, tag: str, value: Cell, numeric: bool) -> None:
    cell = add(row, tag, cls="num" if numeric else None)
    if isinstance(value, etree._Element):
        cell.append(value)
    elif value is not None:
        cell.text = plain_text(value)


def table(
    parent: etree._Element,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    numeric: Iterable[int] = (),
) -> etree._Element:
    """A table with a header row; the ``numeric`` columns are right-aligned."""
    right = set(numeric)
    element = add(parent, "table")
    head = add(add(element, "thead"), "tr")
    for index, title in enumerate(header):
        _cell(head, "th", title, index in right)
    body = add(element, "tbody")
    for values in rows:
        row = add(body, "tr")
        for index, value in enumerate(values):
            _cell(row, "td", value, index in right)
    return element


def inline_svg(data: str | bytes, prefix: str, label: str) -> etree._Element:
    """One of our SVG diagrams, ready to sit in HTML beside others: ids prefixed (no clashes),
    no fixed size (CSS scales it to the page), no render stamp, labelled for screen readers."""
    root = embeddable(data.encode("utf-8") if isinstance(data, str) else data, prefix)
    drawing = etree.SubElement(root, f"{SVG}g", id=f"{prefix}-whole")
    for child in list(root)[:-1]:
        drawing.append(child)
    for size in ("width", "height"):
        root.attrib.pop(size, "")
    root.set("role", "img")
    root.set("aria-label", plain_text(label))
    return root


def serialise(document: etree._Element) -> str:
    """The HTML5 text of ``document``: a doctype, stable attribute order, a final newline."""
    text: str = etree.tostring(
        document, method="html", encoding="unicode", doctype="<!DOCTYPE html>"
    )
    # libxml2 knows HTML 4's void elements, not HTML5's <wbr>; user text cannot hold the
    # token (its "<" is written "&lt;"), so this touches only the elements code() made
    return text.replace("<wbr></wbr>", "<wbr>") + "\n"
