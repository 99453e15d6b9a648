"""Where the current request comes from, for the operation log: services do not take
a request, so the middleware leaves its source address here."""
import contextvars

from django.conf import settings

source_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("jiyue_audit_source_ip", default=None)


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address JIYUE_TRUSTED_PROXY_COUNT proxies in front of us
    saw (the ingress appends to X-Forwarded-For; a client can forge only what is left
    of the trusted hops)."""
    hops = settings.JIYUE_TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = source_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            source_ip.reset(token)
