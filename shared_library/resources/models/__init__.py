"""The unified information resource library (统一信息资源库), public schema."""
from .resources import Resource, ResourceStatus, ResourceVersion

__all__ = ["Resource", "ResourceStatus", "ResourceVersion"]
