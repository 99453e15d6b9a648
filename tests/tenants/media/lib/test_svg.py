"""What in an SVG could run in a browser (tenants.media.lib.svg)."""
import pytest

from tenants.media.lib.svg import svg_hazards
from tests.tenants.media import samples


def test_clean_svg_has_no_hazards():
    assert svg_hazards(samples.clean_svg()) == []


@pytest.mark.parametrize("fragment, reason", [
    (b"<script>alert(1)</script>", "<script>"),
    (b'<script xlink:href="https://example.invalid/x.js"/>', "<script>"),
    (b'<rect width="1" height="1" onload="alert(1)"/>', "onload"),
    (b'<rect width="1" height="1" ONCLICK="alert(1)"/>', "ONCLICK"),
    (b'<a xlink:href=" JaVa&#x09;ScRiPt:alert(1)"><rect/></a>', "javascript:"),
    (b'<a href="data:text/html;base64,PHNjcmlwdD4="><rect/></a>', "javascript:"),
    (b'<set attributeName="href" to="javascript:alert(1)"/>', "javascript:"),
    (b"<style>rect { background: url(javascript:alert(1)) }</style>", "javascript:"),
    (b'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>', "foreignObject"),
    (b'<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="x"/></foreignObject>', "<iframe>"),
])
def test_active_content_is_found(fragment, reason):
    hazards = svg_hazards(samples.svg_with(fragment))
    assert any(reason in hazard for hazard in hazards), hazards


def test_entities_and_stylesheets_are_hazards():
    billion_laughs = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><svg>&b;</svg>'
    assert svg_hazards(billion_laughs) == ["实体声明（<!ENTITY>）"]
    external = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>'
    assert svg_hazards(external) == ["实体声明（<!ENTITY>）"]
    xslt = b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="evil.xsl"?><svg/>'
    assert "xml-stylesheet" in svg_hazards(xslt)[0]


def test_attribute_defaults_from_an_internal_dtd_are_seen():
    data = b'<?xml version="1.0"?><!DOCTYPE svg [<!ATTLIST rect onload CDATA "alert(1)">]>' \
           b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'
    assert svg_hazards(data) == ["事件处理属性（onload）"]
