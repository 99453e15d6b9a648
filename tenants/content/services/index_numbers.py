"""Issuing 索引号 by the site's rule: unique, sequential per scope, never reused."""
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site as WagtailSite

from tenants.registry.models import OrgUnit

from ..lib.index_number_rules import parse_rule
from ..models.index_numbers import IndexNumberCounter, IndexNumberSettings, IssuedIndexNumber


def current_rule_settings() -> IndexNumberSettings:
    return IndexNumberSettings.for_site(WagtailSite.objects.get(is_default_site=True))


def _unit_code(settings_row) -> str:
    if settings_row.unit_code:
        return settings_row.unit_code
    # By id: in a request, connection.tenant is the router's light Site (no org unit).
    tenant_id = getattr(getattr(connection, "tenant", None), "pk", None)
    code = OrgUnit.objects.filter(site__pk=tenant_id).values_list("code", flat=True).first()
    if not code:
        raise ValidationError(_("This site has no registered unit code; enter one in “Index number rule”"))
    return code


def _rule_and_scope(today):
    settings_row = current_rule_settings()
    rule = parse_rule(settings_row.pattern)
    return rule, rule.scope(unit_code=_unit_code(settings_row), today=today or timezone.localdate())


def _exhausted(scope: str) -> ValidationError:
    return ValidationError(_("The index number sequence is used up (%(scope)s); change the index number rule to "
                             "give the sequence more digits"), params={"scope": scope})


def ensure_index_number_can_be_issued(*, today=None) -> None:
    """Raise the ValidationError allocation would raise, before anything is saved
    (the page form calls this, so the editor gets a form error, not a failed save)."""
    rule, scope = _rule_and_scope(today)
    counter = IndexNumberCounter.objects.filter(scope=scope).first()
    if counter is not None and counter.last_value >= rule.max_seq():
        raise _exhausted(scope)


@transaction.atomic
def allocate_index_number(*, today=None) -> str:
    rule, scope = _rule_and_scope(today)
    # Row lock on the scope's counter: concurrent saves get consecutive numbers.
    IndexNumberCounter.objects.bulk_create([IndexNumberCounter(scope=scope)], ignore_conflicts=True)
    counter = IndexNumberCounter.objects.select_for_update().get(scope=scope)
    while True:
        counter.last_value += 1
        if counter.last_value > rule.max_seq():
            raise _exhausted(scope)
        number = rule.render(scope, counter.last_value)
        # A changed rule may render a number an older rule issued; skip it.
        if not IssuedIndexNumber.objects.filter(number=number).exists():
            break
    counter.save(update_fields=["last_value"])
    IssuedIndexNumber.objects.create(number=number)
    return number


def attach_index_number(number: str, *, page_id: int) -> None:
    IssuedIndexNumber.objects.filter(number=number, page_id__isnull=True).update(page_id=page_id)


@transaction.atomic
def register_index_number(number: str, *, page_id: int | None = None) -> str:
    """Take over a number issued elsewhere (a migrated site's documents keep theirs)."""
    number = (number or "").strip()
    if not number:
        raise ValidationError(_("The index number must not be empty"))
    created = IssuedIndexNumber.objects.get_or_create(number=number, defaults={"page_id": page_id})[1]
    if not created:
        raise ValidationError(_("The index number “%(number)s” is already in use; index numbers are never reused"),
                              params={"number": number})
    return number
