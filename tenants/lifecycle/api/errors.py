"""The API's one error format, for every refusal:

    {"error": "<one line, in the caller's language (Chinese by default)>",
     "code": "<machine-readable>",
     "fields": {"<field>": ["<message>", ...]}}     (only when fields are at fault)

  Django ValidationError (a service's refusal)   400  invalid
  DRF ValidationError / ParseError (bad body)    400  invalid / parse_error
  unknown or revoked token, no token             401  authentication_failed / not_authenticated
  PermissionDenied (a service's or the scope's)  403  permission_denied
  Http404 (access_*: missing or out of scope)    404  not_found
  Conflict (the step was decided meanwhile)      409  conflict
  other DRF errors (405, 415, 429 …)             their status and code

The handler is set per view (LifecycleAPIView.get_exception_handler), not in
REST_FRAMEWORK: Wagtail's admin API shares DRF. Anything else is a real bug and is
left to Django (500, logged)."""
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback


class Conflict(exceptions.APIException):
    """The request changed under the caller (a step decided meanwhile): reload and retry."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = gettext_lazy("The request was changed by someone else meanwhile; reload it")


def _join(messages) -> str:
    return pgettext("lifecycle api separator of error messages", "; ").join(str(message) for message in messages)


def _flatten(detail, prefix="") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.0": [messages]}."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = str(key) if key != "non_field_errors" else NON_FIELD_ERRORS
            fields.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
        return fields
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or NON_FIELD_ERRORS: [str(item) for item in detail]}
        fields = {}
        for index, item in enumerate(detail):
            if item:
                fields.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return fields
    return {prefix or NON_FIELD_ERRORS: [str(detail)]}


def _invalid_fields(fields: dict[str, list[str]]) -> str:
    problems = []
    for field, messages in fields.items():
        if field == NON_FIELD_ERRORS:
            problems.extend(messages)
        else:
            problems.extend(_("%(field)s: %(message)s") % {"field": field, "message": message}
                            for message in messages)
    return _("The request is invalid: %(problems)s") % {"problems": _join(problems)}


def error_body(message, code: str, fields: dict | None = None) -> dict:
    body = {"error": str(message), "code": code}
    if fields:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    headers = {}
    if isinstance(exc, ValidationError):
        fields = {}
        if hasattr(exc, "error_dict"):
            fields = {field: list(messages) for field, messages in exc.message_dict.items()
                      if field != NON_FIELD_ERRORS}
        body, code = error_body(_join(exc.messages), "invalid", fields), status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, PermissionDenied):
        body = error_body(str(exc) or _("You may not do this with this API token"), "permission_denied")
        code = status.HTTP_403_FORBIDDEN
    elif isinstance(exc, Http404):
        body = error_body(str(exc) or _("Not found through this API token"), "not_found")
        code = status.HTTP_404_NOT_FOUND
    elif isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        shown = {field: messages for field, messages in fields.items() if field != NON_FIELD_ERRORS}
        body, code = error_body(_invalid_fields(fields), "invalid", shown), status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.ParseError):
        # DRF's text carries the parser's own (English) explanation.
        body = error_body(_("The request body cannot be read: %(detail)s") % {"detail": exc.detail}, "parse_error")
        code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = _join(_flatten(detail).get(NON_FIELD_ERRORS, [])) if isinstance(detail, (list, dict)) else detail
        codes = exc.get_codes()
        body = error_body(message, codes if isinstance(codes, str) else exc.default_code)
        code = exc.status_code
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        return None
    set_rollback()
    return Response(body, status=code, headers=headers)


def not_found(request, *args, **kwargs):
    """Any other path under the API: a JSON 404, not the console's HTML page."""
    return JsonResponse(error_body(_("There is no API endpoint at %(path)s (API paths end with a slash)")
                                   % {"path": request.path}, "not_found"), status=404)
