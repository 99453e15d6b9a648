"""What in an SVG could run in a browser. An SVG is served as an image/document, but opened
on its own (or from the site's /media/ path) it is a web page: scripts, event handlers,
javascript: links and embedded HTML (foreignObject) all execute.

Parsed with defusedxml: entity declarations (billion laughs, external entities) are
refused as such. Nothing is rewritten; a file with any hazard is refused as a whole."""
import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Elements that run script or embed another (HTML) document.
_ACTIVE_ELEMENTS = {
    "script": _("script (<script>)"),
    "foreignobject": _("embedded web content (<foreignObject>)"),
    "iframe": _("embedded web page (<iframe>)"),
    "embed": _("embedded object (<embed>)"),
    "object": _("embedded object (<object>)"),
    "handler": _("event handler script (<handler>)"),
}
# javascript:, vbscript: and HTML data: URLs, however spaced or cased.
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:text/html|data:application/xhtml", re.IGNORECASE)
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]+")
_STYLESHEET_PI = re.compile(rb"<\?xml-stylesheet", re.IGNORECASE)


def svg_hazards(data: bytes) -> list[str]:
    """The reasons (translated, for the editor) this SVG could run code; empty if none."""
    if _STYLESHEET_PI.search(data):
        # An XSLT stylesheet can turn the SVG into an HTML page with scripts.
        return [gettext("stylesheet processing instruction (<?xml-stylesheet?>)")]
    try:
        root = fromstring(data)
    except DefusedXmlException:
        return [gettext("entity declaration (<!ENTITY>)")]
    except (ParseError, ValueError):
        return [gettext("XML content that cannot be parsed")]
    found: list[str] = []

    def note(reason):
        reason = str(reason)
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
                note(gettext("event handler attribute (%(attribute)s)") % {"attribute": attribute_name})
            if _has_script_url(value):
                note(gettext("javascript: and other script links"))
        if element.text and _has_script_url(element.text):  # e.g. url(javascript:...) in <style>
            note(gettext("javascript: and other script links"))
    return found


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _has_script_url(value: str) -> bool:
    return bool(_SCRIPT_URL.search(_IGNORED_IN_URLS.sub("", value)))
