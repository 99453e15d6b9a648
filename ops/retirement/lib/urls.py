"""The one URL canonicalizer of the migration (STYLE.md: Bouncer's canonicalized request).

The crawl frontier, the archive index, the URL mapping and the redirect serving all
key URLs by `url_hash(url)`, so that a link written with a tracking parameter, a
session id, a fragment, `../` or another case of host reaches the same entry as the
page itself. courlan normalises the parts (case, default port, percent-encoding,
sorted query, its list of trackers); what old Chinese government CMSs add (session
ids in the path, WeChat and Alibaba share parameters) is removed here."""
import hashlib
import posixpath
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from courlan import normalize_url

# Query parameters that never select content: session ids and share/tracking tags.
IGNORED_PARAMS = re.compile(
    r"^(utm_\w+|spm|scm|from|isappinstalled|share\w*|fbclid|gclid|wxfrom|timestamp|_t|"
    r"jsessionid|phpsessid|aspsessionid\w*|sessionid|sid|cfid|cftoken)$", re.IGNORECASE)
# Session ids some servlet containers put into the path: /a/t1.html;jsessionid=AB12
PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)


class UnusableUrl(ValueError):
    pass


def absolute(link: str, base: str) -> str | None:
    """`link` as found on the page at `base`, made absolute; None for what is no web address."""
    link = (link or "").strip()
    if not link or link.startswith("#"):
        return None
    scheme = link.split(":", 1)[0].lower() if ":" in link.split("/", 1)[0] else ""
    if scheme and scheme not in ("http", "https"):
        return None  # javascript:, mailto:, tel:, data:
    return urljoin(base, link)


def canonicalize(url: str) -> str:
    """The canonical form of an absolute http(s) URL; raises UnusableUrl otherwise."""
    parts = urlsplit((url or "").strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UnusableUrl(url)
    path = PATH_SESSION.sub("", parts.path) or "/"
    path = _remove_dot_segments(path)
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                       if not IGNORED_PARAMS.match(key)])
    rebuilt = urlunsplit((parts.scheme.lower(), parts.netloc, path, query, ""))
    try:
        return normalize_url(rebuilt)
    except ValueError as error:
        raise UnusableUrl(url) from error


def url_key(url: str) -> str:
    """The canonical URL without its scheme: http and https addresses of one page are one."""
    return canonicalize(url).split("://", 1)[1]


def url_hash(url: str) -> str:
    return hashlib.sha1(url_key(url).encode()).hexdigest()


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    """scheme://host[:port], the scope of robots.txt and of politeness."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def host_allowed(host: str, allowed: list[str]) -> bool:
    """`allowed` holds host names, or `*.example.gov.cn` for the domain and its subdomains."""
    host = host.lower().rstrip(".")
    for entry in allowed:
        entry = entry.lower().strip().rstrip(".")
        if entry.startswith("*."):
            if host == entry[2:] or host.endswith(entry[1:]):
                return True
        elif host == entry:
            return True
    return False


def _remove_dot_segments(path: str) -> str:
    trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
    normal = posixpath.normpath(path)
    # normpath keeps a leading '//' and lets '..' climb above the root of a URL.
    normal = "/" + normal.lstrip("/")
    if normal != "/" and trailing:
        normal += "/"
    return normal
