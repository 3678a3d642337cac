"""XES event logs (``.xes``, ``.xes.gz``), read safely and fast.

Every file is first streamed once, unparsed: its (decompressed) size is bounded, so a gzip bomb
stops at ``max_bytes``, and a DTD or entity declaration is refused before any parser sees it
(XES needs neither; they are how XXE and "billion laughs" files attack a reader). Then rustxes
(MIT/Apache-2.0, Rust) parses it into a table. Without rustxes, a streaming lxml reader with the
project's hardened options (:mod:`lastmile_flows.xmlparser`: no entities, no DTD, no network,
no huge trees) does the same, clearing each trace once read.

Trace attributes become ``case:<key>`` columns, as XES tools name them; values are text,
timestamps are parsed later with the other formats.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any, Literal

from lastmile_flows.errors import LogError

__all__ = ["DEFAULT_MAX_BYTES", "XesReader", "check_xes", "read_xes"]

XesReader = Literal["auto", "rustxes", "lxml"]
DEFAULT_MAX_BYTES = 8 * 1024**3
"""The largest XES text read (after decompression): 8 GiB."""
_CHUNK = 1 << 20
_REFUSED = (b"<!DOCTYPE", b"<!ENTITY")
_VALUE_TAGS = ("string", "date", "int", "float", "boolean", "id")


def _open(path: Path) -> Any:
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")


def check_xes(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """Stream the file once: its decompressed size (at most ``max_bytes``), refusing a DTD or
    an entity declaration. Returns the size in bytes."""
    file = Path(path)
    size = 0
    tail = b""
    try:
        with _open(file) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise LogError(
                        f"the XES text is larger than {max_bytes:,} bytes (a gzip bomb, or a "
                        "log too large to read); raise max_xes_bytes if it is genuine",
                        path=str(file),
                    )
                window = tail + chunk
                for marker in _REFUSED:
                    if marker in window:
                        raise LogError(
                            f"refused unread: the XES holds {marker.decode()} (a DTD or an "
                            "entity declaration; XES needs neither, and they are how XXE and "
                            "'billion laughs' files attack a reader)",
                            path=str(file),
                        )
                tail = window[-16:]
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise LogError(f"cannot read: {error}", path=str(file)) from None
    if size == 0:
        raise LogError("the file is empty", path=str(file))
    return size


def read_xes(
    path: str | os.PathLike[str],
    *,
    reader: XesReader = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Any:
    """The events of an XES file as an Arrow-compatible table (a polars DataFrame from
    rustxes, a pyarrow Table from the lxml reader), checked first with :func:`check_xes`."""
    check_xes(path, max_bytes=max_bytes)
    if reader in ("auto", "rustxes"):
        try:
            import rustxes
        except ImportError:
            if reader == "rustxes":
                raise LogError(
                    "rustxes is not installed (pip install rustxes); or use reader='lxml'",
                    path=str(path),
                ) from None
        else:
            try:
                frame, _ = rustxes.import_xes(os.fspath(path))
            except BaseException as error:  # a Rust panic arrives as PanicException
                if isinstance(error, KeyboardInterrupt | SystemExit):
                    raise
                raise LogError(f"not a readable XES file: {error}", path=str(path)) from None
            return frame
    return _read_lxml(Path(path))


def _read_lxml(path: Path) -> Any:
    import pyarrow as pa
    from lxml import etree

    columns: dict[str, list[str | None]] = {}
    count = 0

    def put(key: str, value: str | None) -> None:
        column = columns.get(key)
        if column is None:
            column = columns[key] = [None] * count
        column.append(value)

    try:
        with _open(path) as stream:
            for _, trace in etree.iterparse(
                stream,
                events=("end",),
                tag=("{*}trace", "trace"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            ):
                case = {
                    f"case:{child.get('key')}": child.get("value")
                    for child in trace
                    if _local(child.tag) in _VALUE_TAGS and child.get("key")
                }
                for event in trace:
                    if _local(event.tag) != "event":
                        continue
                    values = {
                        str(child.get("key")): child.get("value")
                        for child in event
                        if _local(child.tag) in _VALUE_TAGS and child.get("key")
                    }
                    for key, value in {**case, **values}.items():
                        put(key, value)
                    count += 1
                    for column in columns.values():
                        if len(column) < count:
                            column.append(None)
                trace.clear()
                while trace.getprevious() is not None:
                    del trace.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise LogError(f"not well-formed XML: {error}", path=str(path)) from None
    except (OSError, EOFError) as error:
        raise LogError(f"cannot read: {error}", path=str(path)) from None
    return pa.table({key: pa.array(values, pa.string()) for key, values in columns.items()})


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
