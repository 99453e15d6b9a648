"""The public URL form of content pages, as Chinese government sites use it:
`/<column path>/<yyyymm>/t<yyyymmdd>_<id>.html`.

The date is the page's first publication (Wagtail's `first_published_at`, in the
platform's time zone) and the id its page id: both are fixed once the page is first
published, so the URL survives title and slug changes. Two pages published in the same
second differ by id. The column path is the page's own `url_path`, so a page moved to
another column gets a new URL and Wagtail's automatic redirects (wagtail.contrib.redirects)
keep the old one answering with a 301."""
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

MONTH = re.compile(r"^(?P<month>\d{6})$")
LEAF = re.compile(r"^t(?P<day>\d{8})_(?P<page_id>[1-9]\d{0,17})\.html$")
# For the public URLconf: a column path, then the month folder and the leaf.
PATH_PATTERN = r"^(?P<path>(?:[\w\-]+/)*\d{6}/t\d{8}_\d+\.html)$"


@dataclass(frozen=True)
class ShortKey:
    """What a short URL names: a page id and the day it was first published."""

    page_id: int
    day: date


def leaf_path(page) -> str | None:
    """`<yyyymm>/t<yyyymmdd>_<id>.html` for a page that has been published, else None."""
    if page.first_published_at is None or page.pk is None:
        return None
    published = timezone.localtime(page.first_published_at)
    return f"{published:%Y%m}/t{published:%Y%m%d}_{page.pk}.html"


def parse(path_components: list[str]) -> ShortKey | None:
    """The key of the last two path components when they have the short form; None when
    they do not (the path is then routed as usual). A month that is not the day's month
    or a day that is no calendar date gives a key that matches no page."""
    if len(path_components) != 2:
        return None
    month, leaf = MONTH.match(path_components[0]), LEAF.match(path_components[1])
    if month is None or leaf is None:
        return None
    day_text = leaf["day"]
    if month["month"] != day_text[:6]:
        return ShortKey(page_id=0, day=date.min)
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:]))
    except ValueError:
        return ShortKey(page_id=0, day=date.min)
    return ShortKey(page_id=int(leaf["page_id"]), day=day)


def matches(page, key: ShortKey) -> bool:
    """Whether `page` is the one `key` names (its id and its first publication's day)."""
    if page.pk != key.page_id or page.first_published_at is None:
        return False
    return timezone.localtime(page.first_published_at).date() == key.day
