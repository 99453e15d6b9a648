"""The library API's errors: the lifecycle API's one format and handler
(tenants.lifecycle.api.errors: {"error", "code", "fields"}), plus a reposting service's
refusal (RepostRefused): 400 with its message, 409 when the item is already there."""
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from tenants.lifecycle.api.errors import error_body
from tenants.lifecycle.api.errors import exception_handler as lifecycle_exception_handler

from ..services.reposts import RepostRefused


class AlreadyThere(RepostRefused):
    """A refusal because the item is already reposted where it was asked to go (409)."""


def exception_handler(exc, context):
    if isinstance(exc, RepostRefused):
        set_rollback()
        if isinstance(exc, AlreadyThere):
            return Response(error_body(exc.message, "conflict"), status=status.HTTP_409_CONFLICT)
        return Response(error_body(exc.message, "invalid"), status=status.HTTP_400_BAD_REQUEST)
    return lifecycle_exception_handler(exc, context)
