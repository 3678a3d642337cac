"""Broken and hostile BPMN: each gets a typed error, nothing is fetched, nothing hangs."""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lastmile_flows import BpmnError, UnsafeXmlError, XmlEncodingError
from lastmile_flows.bpmn import import_bpmn, xmlsafe

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def bpmn(body: str, *, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return (
        f'{declaration}\n<definitions xmlns="{MODEL}" id="d" targetNamespace="t">\n'
        f'<process id="p"><startEvent id="s"/><task id="t" name="{body}"/><endEvent id="e"/>'
        '<sequenceFlow id="f1" sourceRef="s" targetRef="t"/>'
        '<sequenceFlow id="f2" sourceRef="t" targetRef="e"/></process>\n</definitions>\n'
    )


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Fail instead of hanging (a guard, not a timing assertion)."""

    def timeout(signum: int, frame: Any) -> None:
        raise AssertionError("parsing did not finish in 30 s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(30)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


XXE = """<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
<process id="p"><task id="t" name="&secret;"/></process></definitions>"""

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + ']>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
    '<process id="p"><task id="t" name="&lol9;"/></process></definitions>'
)

EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE definitions SYSTEM "http://example.com/evil.dtd">\n'
    f'<definitions xmlns="{MODEL}"/>'
)


@pytest.mark.parametrize(
    "source", [XXE, LAUGHS, EXTERNAL_DTD], ids=["xxe", "billion-laughs", "external-dtd"]
)
def test_dtds_and_entities_are_refused_unread(source: str, hang_guard: None) -> None:
    with pytest.raises(UnsafeXmlError, match="document type declaration") as raised:
        import_bpmn(source.encode())
    assert raised.value.line == 2
    assert "root:" not in str(raised.value)


def test_a_doctype_hidden_in_utf16_is_refused() -> None:
    with pytest.raises(UnsafeXmlError):
        import_bpmn(
            XXE.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
        )


def test_xinclude_is_not_processed() -> None:
    source = bpmn("ok").replace(
        '<endEvent id="e"/>',
        '<endEvent id="e"/><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
        'href="file:///etc/passwd" parse="text"/>',
    )
    result = import_bpmn(source.encode())
    assert "root:" not in result.process.model_dump_json()
    assert any("another namespace" in str(note) for note in result.notes)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbf" + bpmn("Prüfen").encode("utf-8"), "UTF-8 with BOM"),
        (
            bpmn(
                "Prüfen \u2013 \u201cok\u201d",
                declaration='<?xml version="1.0" encoding="windows-1252"?>',
            ).encode("cp1252"),
            "windows-1252",
        ),
        (
            bpmn("Prüfen", declaration='<?xml version="1.0" encoding="ISO-8859-1"?>').encode(
                "latin-1"
            ),
            "ISO-8859-1",
        ),
        (
            bpmn("Prüfen", declaration='<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"),
            "UTF-16",
        ),
    ],
)
def test_declared_encodings_are_honoured(data: bytes, encoding: str) -> None:
    process = import_bpmn(data).process
    assert process.step("t").name.startswith("Prüfen"), encoding


def test_latin1_bytes_labelled_utf8_are_reported_with_line_and_a_hint() -> None:
    data = bpmn("Prüfen").encode("latin-1")
    with pytest.raises(XmlEncodingError, match=r"0xFC .*windows-1252.*'ü'") as raised:
        import_bpmn(data)
    assert raised.value.line == 3


def test_ten_thousand_attributes_on_one_element_parse(hang_guard: None) -> None:
    attributes = " ".join(f'a{n}="{n}"' for n in range(10_000))
    data = bpmn("x").replace('<task id="t"', f'<task id="t" {attributes}').encode()
    result = import_bpmn(data)
    assert result.process.step("t").name == "x"


def test_deep_nesting_is_an_error_not_a_crash(hang_guard: None) -> None:
    depth = 100_000
    data = (
        f'<definitions xmlns="{MODEL}">' + "<a>" * depth + "</a>" * depth + "</definitions>"
    ).encode()
    with pytest.raises(BpmnError, match="not well-formed"):
        import_bpmn(data)


def test_a_file_over_the_size_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.bpmn"
    path.write_text(bpmn("x"))
    monkeypatch.setattr(xmlsafe, "MAX_BYTES", 100)
    with pytest.raises(BpmnError, match="the limit is 100") as raised:
        import_bpmn(path)
    assert raised.value.path == str(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not XML"),
        (b"just some text", "not XML"),
        (bpmn("x").encode()[:-40], "not well-formed"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not a BPMN 2.0 file"),
        (b'<definitions xmlns="http://www.omg.org/bpmn20"/>', "not a BPMN 2.0 file"),
    ],
    ids=["empty", "binary", "text", "truncated", "svg", "old-namespace"],
)
def test_broken_input_gets_a_typed_error_with_file_and_line(
    data: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "broken.bpmn"
    path.write_bytes(data)
    with pytest.raises(BpmnError, match=message) as raised:
        import_bpmn(path)
    assert str(raised.value).startswith(str(path))


def test_a_missing_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(BpmnError, match="cannot read the file"):
        import_bpmn(tmp_path / "nope.bpmn")
