"""The one way this package parses XML: an lxml parser that resolves no entity, loads no DTD,
touches no network and refuses huge trees. BPMN files (:mod:`lastmile_flows.bpmn.xmlsafe`, which
also refuses DTDs before parsing) and Graphviz's SVG (:mod:`lastmile_flows.render.svg`) go
through it."""

from __future__ import annotations

from lxml import etree

__all__ = ["safe_parser"]


def safe_parser(*, remove_comments: bool = False) -> etree.XMLParser:
    """A new hardened parser (lxml parsers are not shared between threads)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=remove_comments,
    )
