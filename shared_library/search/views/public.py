"""The public search page on every site's own hosts: /search/?q=…"""
from urllib.parse import urlencode

from django.shortcuts import render

from ..backends import ORDER_DATE, ORDER_RANKED, ORDERS, SearchQuery, get_backend
from ..lib.query import MAX_QUERY_CHARS, QueryTooLong, parse_query
from ..queries import SCOPE_PROVINCE, SCOPE_SITE, SCOPES, default_scope, scope_site_ids

PER_PAGE = 10
MAX_PAGE = 100  # deeper pages: narrow the search instead
TEMPLATE = "search/search_page.html"


def _int(value, default=None, *, low=None, high=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if (low is not None and number < low) or (high is not None and number > high):
        return default
    return number


def search_page(request):
    site = request.tenant
    params = request.GET
    scope = params.get("scope") if params.get("scope") in SCOPES else default_scope(site)
    order = params.get("order") if params.get("order") in ORDERS else ORDER_RANKED
    text = params.get("q", "")
    context = {"q": text[:MAX_QUERY_CHARS], "max_chars": MAX_QUERY_CHARS, "scope": scope, "order": order,
               "scope_site": SCOPE_SITE, "scope_province": SCOPE_PROVINCE, "order_date": ORDER_DATE,
               "order_ranked": ORDER_RANKED}
    try:
        words = parse_query(text)
    except QueryTooLong as error:
        context["error"] = error.messages[0]
        return render(request, TEMPLATE, context, status=400)
    if not words:
        context["prompt"] = True
        return render(request, TEMPLATE, context)
    filters = {"site": _int(params.get("site"), low=1), "topic": (params.get("topic") or "")[:20] or None,
               "year": _int(params.get("year"), low=1900, high=2200)}
    query = SearchQuery(words=words, site_ids=scope_site_ids(site, scope), order=order,
                        site_id=filters["site"] if scope == SCOPE_PROVINCE else None,
                        topic_code=filters["topic"], year=filters["year"],
                        page=_int(params.get("page"), 1, low=1, high=MAX_PAGE), per_page=PER_PAGE)
    results = get_backend().search(query)
    state = {"q": text, "scope": scope, "order": order, **filters}

    def link(**changes):
        values = {**state, **changes}
        return "?" + urlencode({key: value for key, value in values.items() if value not in (None, "")})

    context.update({
        "results": results,
        "scope_links": {SCOPE_SITE: link(scope=SCOPE_SITE, site=None), SCOPE_PROVINCE: link(scope=SCOPE_PROVINCE)},
        "order_links": {ORDER_RANKED: link(order=ORDER_RANKED), ORDER_DATE: link(order=ORDER_DATE)},
        "facets": [_facet(kind, results.facets[kind], filters[kind], link)
                   for kind in (("topic", "year") if scope == SCOPE_SITE else ("site", "topic", "year"))],
        "previous_link": link(page=results.page - 1) if results.page > 1 else None,
        "next_link": link(page=results.page + 1) if results.page < min(results.num_pages, MAX_PAGE) else None,
        "num_pages": min(results.num_pages, MAX_PAGE),
        "first_number": (results.page - 1) * PER_PAGE + 1,
    })
    return render(request, TEMPLATE, context)


def _facet(kind, values, selected, link):
    selected = None if selected is None else str(selected)
    return {"kind": kind, "active": selected is not None, "clear_url": link(**{kind: None}),
            "values": [{"label": value.label, "count": value.count, "url": link(**{kind: value.value}),
                        "selected": value.value == selected} for value in values]}
