"""Helpers of the browser tests."""


def set_server_password(user, raw_password):
    """The test settings hash passwords with MD5 only (fast), which the production
    settings module gunicorn runs with does not accept: store a PBKDF2 hash instead."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(raw_password, hasher.salt())
    user.save(update_fields=["password"])


def sign_in(context, server, user):
    """A new tab of `context`, signed in on the console as `user` (password PASSWORD)."""
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    page = context.new_page()
    page.goto(server.console("/login/"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]:has-text('登录')")
    expect(page).to_have_url(server.console("/"))
    return page
