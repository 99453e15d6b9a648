"""Creating and deactivating accounts. Accounts are never deleted: their rows are
referenced from every site's schema (authorship, revisions, memberships)."""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation

from ..models import User


@transaction.atomic
def create_user(username: str, password: str, *, full_name: str = "", email: str = "",
                acting_user=None, validate=True, org_unit=None) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("Username already exists: %(username)s") % {"username": username})
    user = User(username=username, email=email, last_name=full_name[:1], first_name=full_name[1:],
                org_unit=org_unit)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    log_operation("create_user", acting_user=acting_user, user=username)
    return user


@transaction.atomic
def deactivate_user(user: User, *, acting_user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    log_operation("deactivate_user", acting_user=acting_user, user=user.username)
