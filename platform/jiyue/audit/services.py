"""Writing operation logs; every service that changes state calls this."""
from .context import source_ip
from .models import OperationLog


def log_operation(action: str, *, acting_user=None, site=None, role: str = "", decision: str = "",
                  comment: str = "", before=None, after=None, lifecycle_request=None, **detail) -> OperationLog:
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    return OperationLog.objects.create(
        action=action, acting_user=user, site=site, role=str(role), source_ip=source_ip.get(),
        decision=decision, comment=comment, before=before, after=after, lifecycle_request=lifecycle_request,
        detail=detail)
