"""What in an SVG could run in a browser. An SVG is served as an image/document, but opened
on its own (or from the site's /media/ path) it is a web page: scripts, event handlers,
javascript: links and embedded HTML (foreignObject) all execute.

Parsed with defusedxml: entity declarations (billion laughs, external entities) are
refused as such. Nothing is rewritten; a file with any hazard is refused as a whole."""
import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

# Elements that run script or embed another (HTML) document.
_ACTIVE_ELEMENTS = {
    "script": "脚本（<script>）",
    "foreignobject": "嵌入的网页内容（<foreignObject>）",
    "iframe": "嵌入的网页（<iframe>）",
    "embed": "嵌入的对象（<embed>）",
    "object": "嵌入的对象（<object>）",
    "handler": "事件处理脚本（<handler>）",
}
# javascript:, vbscript: and HTML data: URLs, however spaced or cased.
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:text/html|data:application/xhtml", re.IGNORECASE)
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]+")
_STYLESHEET_PI = re.compile(rb"<\?xml-stylesheet", re.IGNORECASE)


def svg_hazards(data: bytes) -> list[str]:
    """The reasons (in Chinese, for the editor) this SVG could run code; empty if none."""
    if _STYLESHEET_PI.search(data):
        # An XSLT stylesheet can turn the SVG into an HTML page with scripts.
        return ["样式表处理指令（<?xml-stylesheet?>）"]
    try:
        root = fromstring(data)
    except DefusedXmlException:
        return ["实体声明（<!ENTITY>）"]
    except (ParseError, ValueError):
        return ["无法解析的 XML 内容"]
    found: list[str] = []

    def note(reason):
        if reason not in found:
            found.append(reason)

    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local_name(element.tag).lower()
        if name in _ACTIVE_ELEMENTS:
            note(_ACTIVE_ELEMENTS[name])
        for attribute, value in element.attrib.items():
            attribute_name = _local_name(attribute)
            if attribute_name.lower().startswith("on"):
                note(f"事件处理属性（{attribute_name}）")
            if _has_script_url(value):
                note("javascript: 等脚本链接")
        if element.text and _has_script_url(element.text):  # e.g. url(javascript:...) in <style>
            note("javascript: 等脚本链接")
    return found


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _has_script_url(value: str) -> bool:
    return bool(_SCRIPT_URL.search(_IGNORED_IN_URLS.sub("", value)))
