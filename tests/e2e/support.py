"""Helpers of the browser tests."""


def set_server_password(user, raw_password):
    """The test settings hash passwords with MD5 only (fast), which the production
    settings module gunicorn runs with does not accept: store a PBKDF2 hash instead."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(raw_password, hasher.salt())
    user.save(update_fields=["password"])
