"""Tables inside each site's schema that tie global users to the site's own groups
and permissions (see jiyue.identity.models). Rows are written only by
jiyue.identity.services.roles, from the public SiteRoleGrant rows."""
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models


class GroupMembership(models.Model):
    # Users are deactivated, never deleted: a delete from the public schema could not
    # reach the rows in every site's schema.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="siteaccess_membership_unique")]


class UserPermissionGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    permission = models.ForeignKey(Permission, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "permission"], name="siteaccess_user_permission_unique")
        ]
