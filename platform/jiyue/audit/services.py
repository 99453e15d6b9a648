"""Writing operation logs; every service that changes state calls this."""
from .models import OperationLog


def log_operation(action: str, *, acting_user=None, site=None, **detail) -> OperationLog:
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    return OperationLog.objects.create(action=action, acting_user=user, site=site, detail=detail)
