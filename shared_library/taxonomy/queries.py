"""Reads of the taxonomies."""
from .models import Term


def active_terms(taxonomy_code: str):
    return Term.active.filter(taxonomy__code=taxonomy_code).select_related("taxonomy")


def term_by_name(taxonomy_code: str, name: str) -> Term | None:
    return active_terms(taxonomy_code).filter(name=name).first()
