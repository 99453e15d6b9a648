"""Replaying an archived HTML page inside the console: its links, frames, images, style
sheets and scripts point back into the replay (by their absolute old URL), so ops can
browse the retired site as it was, also where extraction failed."""
import lxml.html
from lxml import etree

from .links import LINK_ATTRIBUTES, parse_html
from .urls import absolute


def rewrite_html(text: str, page_url: str, replay_url) -> str:
    """`text` with every address replaced by `replay_url(absolute old URL)`; scripts are
    dropped (the replay is sandboxed, and an old page's script is nobody's to run)."""
    try:
        document = parse_html(text)
    except (etree.ParserError, ValueError):
        return ""
    base = page_url
    for element in document.iter("base"):
        if element.get("href"):
            base = absolute(element.get("href"), page_url) or page_url
        element.getparent().remove(element)
        break
    for script in list(document.iter("script")):
        script.getparent().remove(script)
    for element in document.iter(*LINK_ATTRIBUTES):
        attribute = LINK_ATTRIBUTES[element.tag]
        value = element.get(attribute)
        if value:
            address = absolute(value, base)
            if address:
                element.set(attribute, replay_url(address.split("#", 1)[0]))
        for handler in [key for key in element.attrib if key.lower().startswith("on")]:
            del element.attrib[handler]
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")
