"""The addresses a fetched page leads the crawler to: links, frames, images, style
sheets and scripts (what a replay of the page needs), made absolute."""
import re

import lxml.html
from lxml import etree

from .decoding import decode_html
from .urls import absolute

LINK_ATTRIBUTES = {"a": "href", "area": "href", "frame": "src", "iframe": "src", "img": "src",
                   "link": "href", "script": "src", "embed": "src", "source": "src"}
# Old CMSs navigate with JavaScript: window.open('...'), location.href='...'.
SCRIPTED_LINK = re.compile(r"""(?:window\.open|location(?:\.href)?\s*=|location\.replace)\s*\(?\s*['"]([^'"]+)['"]""")
# lxml refuses a str that still declares its encoding (XHTML pages of old CMSs do).
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
META_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)


def is_html(content_type: str) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml", "")


def parse_html(text: str):
    """The lxml document of decoded HTML; ValueError or etree.ParserError if it has none.
    lxml refuses a str that still declares its encoding, so the declaration goes first."""
    return lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1))


def page_links(body: bytes, content_type: str, url: str) -> list[str]:
    """Absolute http(s) addresses in document order, each once."""
    if not body:
        return []
    try:
        # Decoded first: libxml2 given the bytes stops at the first character its
        # charset lacks (a "gb2312" page that uses GBK's 镕), losing the links after it.
        document = parse_html(decode_html(body, content_type).text)
    except (etree.ParserError, ValueError):
        return []
    base = url
    for element in document.iter("base"):
        if element.get("href"):
            base = absolute(element.get("href"), url) or url
            break
    found = []
    for element in document.iter(*LINK_ATTRIBUTES):
        value = element.get(LINK_ATTRIBUTES[element.tag])
        if value:
            found.append(value)
        onclick = element.get("onclick")
        if onclick:
            found.extend(SCRIPTED_LINK.findall(onclick))
    for element in document.iter("meta"):
        if (element.get("http-equiv") or "").lower() == "refresh":
            match = META_REFRESH_URL.search(element.get("content") or "")
            if match:
                found.append(match.group(1))
    links = {}
    for value in found:
        address = absolute(value, base)
        if address:
            links.setdefault(address.split("#", 1)[0], None)
    return list(links)
