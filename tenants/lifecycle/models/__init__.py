from .operations import (CheckResult, ClosureItem, ClosureTask, Notification, OfflinePeriod,
                         SecurityCheck)
from .requests import (OPEN_STATES, Attachment, Decision, LifecycleRequest, RequestKind, RequestState,
                       RequestVersion, ReviewStep, StepState)
from .tokens import UnitApiToken

__all__ = [
    "OPEN_STATES", "Attachment", "CheckResult", "ClosureItem", "ClosureTask", "Decision",
    "LifecycleRequest", "Notification", "OfflinePeriod", "RequestKind", "RequestState", "RequestVersion",
    "ReviewStep", "SecurityCheck", "StepState", "UnitApiToken",
]
