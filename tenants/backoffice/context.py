"""Which site a back-office screen belongs to, for the band at the top of every screen:
the site's name and level, its colour, the sites the person may switch to (on the same
screen), its public home and the console."""
import colorsys
import hashlib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tenants.registry.models.org_units import Level
from tenants.registry.models.sites import PROVISIONED_STATUSES, SiteKind

# A path segment that names one object (a page, an image…): ids differ between sites.
_OBJECT_SEGMENT = re.compile(r"^\d+$")
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text, white on the band


@dataclass(frozen=True)
class SwitchTarget:
    code: str
    name: str
    url: str
    is_current: bool


@dataclass(frozen=True)
class SiteContext:
    code: str
    name: str
    level: str
    colour: str
    public_url: str
    console_url: str
    switch_targets: list[SwitchTarget]


def console_base(request) -> str:
    """The console's own script prefix (the router appended /s/<code> to it)."""
    script_name = request.META.get("SCRIPT_NAME", "")
    return script_name.rsplit("/s/", 1)[0] if "/s/" in script_name else script_name.rstrip("/")


def same_screen_path(path_info: str) -> str:
    """The back-office path cut before its first object id: `/admin/pages/12/edit/` →
    `/admin/pages/` (the same screen, as far as it exists on another site)."""
    kept = []
    for segment in path_info.strip("/").split("/"):
        if _OBJECT_SEGMENT.match(segment):
            break
        kept.append(segment)
    return "/" + "/".join(segment for segment in kept if segment) + "/" if any(kept) else "/admin/"


def band_colour(code: str) -> str:
    """A colour of the site's own (from its code), dark enough for white text to keep a
    contrast of at least 4.5:1."""
    hue = int(hashlib.sha256(code.encode()).hexdigest()[:4], 16) / 0xFFFF
    lightness = 0.34
    while True:
        channels = [round(channel * 255) for channel in colorsys.hls_to_rgb(hue, lightness, 0.6)]
        if contrast_with_white(*(channel / 255 for channel in channels)) >= MIN_CONTRAST:
            return "#{:02x}{:02x}{:02x}".format(*channels)
        lightness -= 0.02


def contrast_with_white(red: float, green: float, blue: float) -> float:
    def linear(channel):
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return 1.05 / (luminance + 0.05)


def level_label(site) -> str:
    level = Level(site.org_unit.level).label if site.org_unit_id else ""
    kind = pgettext("site band", "portal") if site.kind == SiteKind.PORTAL else pgettext("site band", "department site")
    return pgettext("site band", "%(level)s %(kind)s") % {"level": level, "kind": kind}


def site_context(request) -> SiteContext | None:
    route = getattr(request, "site_route", None)
    user = getattr(request, "user", None)
    if route is None or user is None or not user.is_authenticated:
        return None
    from jiyue.identity.queries import sites_for_user
    from tenants.registry.models import Site

    site = Site.objects.select_related("org_unit").filter(pk=route.site_id).first()
    if site is None:
        return None
    base = console_base(request)
    rest = same_screen_path(request.path_info)
    granted = sites_for_user(user).filter(status__in=PROVISIONED_STATUSES).order_by("name").only("short_code", "name")
    targets = [SwitchTarget(code=other.short_code, name=other.name, url=f"{base}/s/{other.short_code}{rest}",
                            is_current=other.pk == site.pk) for other in granted]
    public = f"http://{route.primary_host}/" if route.primary_host else ""
    return SiteContext(code=site.short_code, name=site.name, level=level_label(site),
                       colour=band_colour(site.short_code), public_url=public, console_url=f"{base}/",
                       switch_targets=targets)
