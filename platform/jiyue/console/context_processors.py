"""What the console's navigation needs to know of the signed-in person (lazy: pages
that do not show the navigation run no query)."""
from django.utils.functional import SimpleLazyObject


def console_navigation(request):
    from jiyue.identity.models import PlatformRole
    from jiyue.identity.queries import has_platform_role, is_platform_staff
    from tenants.checks.queries import may_use_dictionary_console

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from tenants.lifecycle import queries as lifecycle

    return {
        "nav_platform_staff": SimpleLazyObject(lambda: is_platform_staff(user)),
        "nav_ops": SimpleLazyObject(lambda: has_platform_role(user, PlatformRole.OPS)),
        "nav_dictionaries": SimpleLazyObject(lambda: may_use_dictionary_console(user)),
        # Lazy callables: Django templates call them only where the navigation is rendered.
        "nav_review_count": lambda: lifecycle.pending_reviews(user).count(),
        "nav_unread_count": lambda: lifecycle.unread_notifications(user).count(),
        "nav_oversees": lambda: lifecycle.scoped_unit_ids(user) != set(),
    }
