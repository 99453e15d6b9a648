"""The publish-event outbox, in the public schema."""
from .events import EventKind, EventStatus, PublishEvent

__all__ = ["EventKind", "EventStatus", "PublishEvent"]
