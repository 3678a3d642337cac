"""Reading untrusted XML: no DTD, no entities, no network, bounded size; typed errors.

A BPMN file needs none of DTDs, entity declarations or external references, and they are how
XXE ("read /etc/passwd into the model") and "billion laughs" (exponential entity expansion)
files attack a reader. So a document type declaration is refused before the XML parser sees
the file, and the parser is set up so that it could not expand or fetch anything anyway.

Encodings: the parser honours a byte-order mark and the XML declaration (UTF-8, UTF-16,
windows-1252, ISO-8859-1, ...). Bytes that are not in the declared encoding are an
:class:`~lastmile_flows.errors.XmlEncodingError` that says where, and what the bytes look like.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lastmile_flows.errors import BpmnError, UnsafeXmlError, XmlEncodingError
from lastmile_flows.xmlparser import safe_parser

__all__ = ["MAX_BYTES", "Document", "parse_xml", "read_source"]

MAX_BYTES = 64 * 1024 * 1024
"""The largest file read (64 MiB; the largest file of the BPMN test corpus is 2.5 MiB)."""

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_FIRST_TAG = re.compile(rb"<[A-Za-z_:]")
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Document:
    """A parsed file: its root element and the name used in messages."""

    root: etree._Element
    path: str | None


def read_source(source: str | os.PathLike[str] | bytes) -> tuple[bytes, str | None]:
    """The bytes of ``source`` (a path, or the bytes themselves) and its name for messages."""
    if isinstance(source, bytes):
        data, path = source, None
    else:
        path = os.fspath(source)
        try:
            size = Path(path).stat().st_size
            if size > MAX_BYTES:
                raise BpmnError(
                    f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}", path=path
                )
            data = Path(path).read_bytes()
        except OSError as error:
            raise BpmnError(f"cannot read the file: {error.strerror or error}", path=path) from None
    if len(data) > MAX_BYTES:
        raise BpmnError(f"the input is {len(data):,} bytes; the limit is {MAX_BYTES:,}", path=path)
    return data, path


def _encoding(data: bytes) -> str:
    """The encoding a byte-order mark or the XML declaration names (UTF-8 by default)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if data[:2] in (b"<\x00", b"\x00<"):
        return "utf-16"
    declared = _DECLARED.match(data[:200])
    return declared.group(1).decode("ascii").lower() if declared else "utf-8"


def _refuse_doctype(data: bytes, path: str | None) -> None:
    """Refuse a DTD or an entity declaration, in whatever encoding the file is."""
    encoding = _encoding(data)
    head = data
    if not encoding.startswith("utf-8"):
        try:
            head = data.decode(encoding, errors="replace").encode("utf-8")
        except LookupError:
            raise BpmnError(
                f"unknown encoding {encoding!r} in the XML declaration", path=path
            ) from None
    first_tag = _FIRST_TAG.search(head)
    prolog = head[: first_tag.start()] if first_tag else head
    found = _DOCTYPE.search(prolog)
    if found:
        line = head.count(b"\n", 0, found.start()) + 1
        raise UnsafeXmlError(
            "the file has a document type declaration (<!DOCTYPE or <!ENTITY); BPMN needs none, "
            "and entities are how XXE and entity-expansion attacks work: refused unread",
            path=path,
            line=line,
        )


def parse_xml(source: str | os.PathLike[str] | bytes) -> Document:
    """Parse untrusted XML safely; raise a :class:`BpmnError` subclass naming file and line."""
    data, path = read_source(source)
    if not data.strip():
        raise BpmnError("the file is empty", path=path)
    _refuse_doctype(data, path)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, data, path) from None
    except ValueError as error:  # lxml: e.g. an unknown encoding
        raise BpmnError(f"cannot parse the XML: {error}", path=path) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise UnsafeXmlError("the file has a document type declaration; refused", path=path)
    return Document(root=root, path=path)


def _syntax_error(error: etree.XMLSyntaxError, data: bytes, path: str | None) -> BpmnError:
    line = error.lineno or None
    message = error.msg or str(error)
    lowered = message.lower()
    encoding_trouble = "not proper utf-8" in lowered or "invalid bytes in character" in lowered
    if encoding_trouble and _encoding(data).startswith("utf-8"):
        bad = _first_bad_utf8(data)
        detail = ""
        if bad is not None:
            offset, line_of_bad = bad
            byte = data[offset]
            guess = bytes([byte]).decode("cp1252", errors="replace")
            detail = (
                f" (byte 0x{byte:02X} at line {line_of_bad}; in windows-1252 it would be {guess!r})"
            )
            line = line_of_bad
        return XmlEncodingError(
            "the file is not valid UTF-8, the encoding it declares or defaults to"
            f"{detail}: it looks like Latin-1/windows-1252 text. Save it as UTF-8, or declare "
            'the real encoding: <?xml version="1.0" encoding="windows-1252"?>',
            path=path,
            line=line,
        )
    if encoding_trouble or ("encoding" in lowered and "unsupported" in lowered):
        return XmlEncodingError(f"cannot decode the file: {message}", path=path, line=line)
    if data.lstrip()[:1] not in (b"<", b"\xef", b"\xff", b"\xfe", b"\x00"):
        return BpmnError("this is not XML (it does not start with '<')", path=path, line=1)
    return BpmnError(f"the XML is not well-formed: {message}", path=path, line=line)


def _first_bad_utf8(data: bytes) -> tuple[int, int] | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start, data.count(b"\n", 0, error.start) + 1
    return None
