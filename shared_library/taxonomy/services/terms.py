"""Changing one term (the console's add, rename, move, deactivate) and creating a
taxonomy. Each change is a one-row plan of ``services.imports``, so the rules of the
tree (no cycle, parent in the same taxonomy, an active term's parent active, names
unique in the taxonomy) are written once.

Deactivating a term with active children is refused, naming them, rather than taking
the subtree with it: pages of every site are classified under those children, and a
provincial editor should see which terms leave the editors' choices before they do.
An import with ``is_active`` 0 for a whole subtree deactivates it in one go."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation

from ..models import Taxonomy, Term
from ..queries import check_may_manage_taxonomies
from .imports import check_taxonomy, plan_terms


def _check(acting_user):
    if acting_user is not None:  # None: the command line on the server
        check_may_manage_taxonomies(acting_user)


@transaction.atomic
def create_taxonomy(*, code: str, name: str, acting_user) -> Taxonomy:
    _check(acting_user)
    taxonomy = Taxonomy(code=(code or "").strip(), name=(name or "").strip())
    check_taxonomy(taxonomy)
    taxonomy.save()
    log_operation("create_taxonomy", acting_user=acting_user, after={"taxonomy": taxonomy.code,
                                                                     "name": taxonomy.name})
    return taxonomy


def _change(taxonomy: Taxonomy, row: dict, action: str, *, acting_user) -> Term:
    _check(acting_user)
    with transaction.atomic():
        Taxonomy.objects.select_for_update().get(pk=taxonomy.pk)
        plan = plan_terms(taxonomy, [row])
        errors = plan.errors()
        if errors:
            raise ValidationError(errors)
        change = plan.report(dry_run=False).changes[0]
        plan.apply()
        term = Term.objects.select_related("parent").get(taxonomy=taxonomy, code=row["code"])
        if change.before or change.after:
            log_operation(action, acting_user=acting_user, before=change.before or None,
                          after={"taxonomy": taxonomy.code, "code": term.code, **change.after})
    return term


def add_term(taxonomy: Taxonomy, *, code: str, name: str, parent: Term | None = None,
             sort_order: int | None = None, acting_user) -> Term:
    """A new term; without a sort order it goes after its siblings."""
    code = (code or "").strip()
    existing = Term.objects.filter(taxonomy=taxonomy, code=code).first()
    if existing is not None:
        raise ValidationError(_("The code “%(code)s” is already used by “%(name)s”")
                              % {"code": code, "name": existing.name})
    _check_parent(taxonomy, parent)
    return _change(taxonomy, {"code": code, "name": name, "parent_code": parent.code if parent else "",
                              "sort_order": "" if sort_order is None else sort_order},
                   "add_taxonomy_term", acting_user=acting_user)


def update_term(term: Term, *, name: str, parent: Term | None, sort_order: int, acting_user) -> Term:
    """Renames, moves (under ``parent``; None: a root) and reorders a term."""
    _check_parent(term.taxonomy, parent)
    return _change(term.taxonomy, {"code": term.code, "name": name, "parent_code": parent.code if parent else "",
                                   "sort_order": sort_order}, "update_taxonomy_term", acting_user=acting_user)


def deactivate_term(term: Term, *, acting_user) -> Term:
    """Refused while the term has active children (see the module's docstring)."""
    return _change(term.taxonomy, {"code": term.code, "is_active": False}, "deactivate_taxonomy_term",
                   acting_user=acting_user)


def reactivate_term(term: Term, *, acting_user) -> Term:
    """Refused while its parent is inactive."""
    return _change(term.taxonomy, {"code": term.code, "is_active": True}, "reactivate_taxonomy_term",
                   acting_user=acting_user)


def _check_parent(taxonomy: Taxonomy, parent: Term | None):
    if parent is not None and parent.taxonomy_id != taxonomy.pk:
        raise ValidationError(_("The parent term must belong to the same taxonomy"))
