from django import template

from ..context import site_context

register = template.Library()


@register.inclusion_tag("backoffice/site_band.html", takes_context=True)
def site_band(context):
    request = context.get("request")
    return {"site": site_context(request) if request is not None else None}


@register.simple_tag
def platform_name():
    from django.conf import settings

    return settings.WAGTAIL_SITE_NAME


@register.simple_tag(takes_context=True)
def open_site_name(context):
    """The name of the site whose back office this is (the dashboard's title)."""
    route = getattr(context.get("request"), "site_route", None)
    return route.name if route is not None else platform_name()
