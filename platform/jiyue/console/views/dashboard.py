from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiyue.identity.queries import is_platform_staff, sites_for_user


@login_required
def home(request):
    """The console's first page: the sites this person may work on."""
    grants = {}
    for grant in request.user.site_grants.select_related("site"):
        grants.setdefault(grant.site_id, []).append(grant.get_role_display())
    sites = sites_for_user(request.user).prefetch_related("domains").order_by("level", "name")
    return render(request, "console/home.html", {
        "sites": [(site, grants.get(site.pk, [])) for site in sites],
        "is_platform_staff": is_platform_staff(request.user),
    })
