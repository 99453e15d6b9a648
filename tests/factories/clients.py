"""Test clients of signed-in people, and back-office URLs."""
from django.test import Client
from django.urls import reverse

from . import PASSWORD

CONSOLE = "console.localhost"


def signed_in(user, **client_kwargs) -> Client:
    """A client signed in on the console (one session serves every back office)."""
    client = Client(HTTP_HOST=CONSOLE, **client_kwargs)
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, f"{user.username} signs in"
    return client


def admin_url(site, name, *args) -> str:
    """A URL of a site's back office (Wagtail admin under /s/<code>/)."""
    return f"/s/{site.short_code}" + reverse(name, args=args, urlconf="jiyue.urls.site_admin")
