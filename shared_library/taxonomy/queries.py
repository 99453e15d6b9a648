"""Reads of the taxonomies: the active terms, a taxonomy's tree in display order (one
query), a term's full path name and its descendants (one recursive query each), and the
permission-checked lookup the console uses."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Taxonomy, Term
from .models.terms import PATH_SEPARATOR

# Deeper than any real classification; a guard for the recursive queries only.
MAX_DEPTH = 32


def active_terms(taxonomy_code: str):
    return Term.active.filter(taxonomy__code=taxonomy_code).select_related("taxonomy")


def term_by_name(taxonomy_code: str, name: str) -> Term | None:
    return active_terms(taxonomy_code).filter(name=name).first()


def display_key(term: Term):
    """Siblings are shown by sort order, then code."""
    return (term.sort_order, term.code)


class TermTree:
    """The terms of one taxonomy as a tree, built in memory from one query.

    ``nodes`` lists the terms depth first, siblings in display order; each term carries
    ``depth`` (0 for a root), ``path`` (the names from its root down to itself),
    ``path_name`` ("城乡建设、环境保护 / 环境保护") and ``child_count``."""

    def __init__(self, terms: Iterable[Term]):
        self.by_id: dict[int, Term] = {}
        self.by_code: dict[str, Term] = {}
        self._children: dict[int | None, list[Term]] = {}
        for term in terms:
            self.by_id[term.pk] = term
            self.by_code[term.code] = term
        for term in self.by_id.values():
            # A parent left out (an inactive one, when only active terms were read) makes a root.
            parent_id = term.parent_id if term.parent_id in self.by_id else None
            self._children.setdefault(parent_id, []).append(term)
        for siblings in self._children.values():
            siblings.sort(key=display_key)
        self.nodes: list[Term] = []
        stack = [(root, 0, ()) for root in reversed(self._children.get(None, []))]
        while stack:
            term, depth, path = stack.pop()
            term.depth, term.path = depth, (*path, term.name)
            term.path_name = PATH_SEPARATOR.join(term.path)
            term.child_count = len(self._children.get(term.pk, []))
            self.nodes.append(term)
            stack.extend((child, depth + 1, term.path) for child in reversed(self._children.get(term.pk, [])))

    @property
    def roots(self) -> list[Term]:
        return list(self._children.get(None, []))

    def children(self, term: Term) -> list[Term]:
        return list(self._children.get(term.pk, []))

    def descendants(self, term: Term) -> list[Term]:
        """Every term below ``term``, depth first in display order."""
        found, stack = [], list(reversed(self._children.get(term.pk, [])))
        while stack:
            child = stack.pop()
            found.append(child)
            stack.extend(reversed(self._children.get(child.pk, [])))
        return found

    def __iter__(self):
        return iter(self.nodes)

    def __len__(self):
        return len(self.nodes)


def term_tree(taxonomy: Taxonomy | str, *, active_only: bool = False) -> TermTree:
    """The taxonomy's tree (by object or code), in one query."""
    terms = Term.objects.filter(**({"taxonomy__code": taxonomy} if isinstance(taxonomy, str)
                                   else {"taxonomy": taxonomy}))
    if active_only:
        terms = terms.filter(is_active=True)
    return TermTree(terms.order_by())


def _table() -> str:
    return connection.ops.quote_name(Term._meta.db_table)


def descendant_ids(term: Term | int, *, include_self: bool = True) -> list[int]:
    """The ids of the terms below ``term`` (and its own), in one recursive query: what
    filtering the library by a term with its children needs."""
    term_id = term.pk if isinstance(term, Term) else int(term)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH RECURSIVE below(id, depth) AS (
                SELECT id, 0 FROM {_table()} WHERE id = %s
                UNION
                SELECT child.id, below.depth + 1 FROM {_table()} child JOIN below ON child.parent_id = below.id
                WHERE below.depth < %s
            )
            SELECT DISTINCT id FROM below""", [term_id, MAX_DEPTH])
        ids = sorted(row[0] for row in cursor.fetchall())
    return ids if include_self else [pk for pk in ids if pk != term_id]


def terms_with_descendants(terms: Iterable[Term | int]) -> Q:
    """A filter on the terms given and everything below them, for querysets of Term."""
    ids: set[int] = set()
    for term in terms:
        ids.update(descendant_ids(term))
    return Q(pk__in=sorted(ids))


def path_names(terms: Iterable[Term | int]) -> dict[int, str]:
    """The full path name of each term, by id, in one recursive query."""
    ids = sorted({term.pk if isinstance(term, Term) else int(term) for term in terms})
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH RECURSIVE chain(start_id, parent_id, name, depth) AS (
                SELECT id, parent_id, name, 0 FROM {_table()} WHERE id = ANY(%s)
                UNION ALL
                SELECT chain.start_id, up.parent_id, up.name, chain.depth + 1
                FROM {_table()} up JOIN chain ON up.id = chain.parent_id
                WHERE chain.depth < %s
            )
            SELECT start_id, name FROM chain ORDER BY start_id, depth DESC""", [ids, MAX_DEPTH])
        names: dict[int, list[str]] = {}
        for start_id, name in cursor.fetchall():
            names.setdefault(start_id, []).append(name)
    return {pk: PATH_SEPARATOR.join(parts) for pk, parts in names.items()}


def path_name(term: Term) -> str:
    """"城乡建设、环境保护 / 环境保护": the names from the root down to the term."""
    if term.parent_id is None:
        return term.name
    return path_names([term])[term.pk]


def taxonomies_with_counts():
    return Taxonomy.objects.annotate(
        term_count=Count("terms"), active_count=Count("terms", filter=Q(terms__is_active=True)),
    ).order_by("pk")


def can_manage_taxonomies(user) -> bool:
    """The provincial office's platform staff (province-wide approvers and ops) keep the
    taxonomies every site classifies its documents by."""
    from jiyue.identity.queries import is_platform_staff

    return user is not None and is_platform_staff(user)


def check_may_manage_taxonomies(user) -> None:
    if not can_manage_taxonomies(user):
        raise PermissionDenied(_("Only the provincial office's platform staff (province-wide approvers and "
                                 "ops staff) can manage taxonomies"))


def access_taxonomy(user, code: str) -> Taxonomy:
    """The taxonomy by its code, for platform staff (403 for anyone else, 404 if none)."""
    check_may_manage_taxonomies(user)
    try:
        return Taxonomy.objects.get(code=code)
    except Taxonomy.DoesNotExist:
        raise Http404(_("The taxonomy does not exist")) from None


def access_term(user, taxonomy_code: str, term_id: int) -> Term:
    taxonomy = access_taxonomy(user, taxonomy_code)
    try:
        term = Term.objects.select_related("parent").get(taxonomy=taxonomy, pk=term_id)
    except Term.DoesNotExist:
        raise Http404(_("The term does not exist")) from None
    term.taxonomy = taxonomy
    return term
