"""Reposts (转载) of library resources into other sites' columns, and what drives them."""
from .mandates import Mandate, MandatePreference, MandateTarget
from .reposts import Repost, RepostMode, RepostStatus
from .subscriptions import Subscription

__all__ = ["Mandate", "MandatePreference", "MandateTarget", "Repost", "RepostMode", "RepostStatus", "Subscription"]
