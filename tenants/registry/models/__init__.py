"""The site registry, in the public schema: org units, sites (the tenants), domains."""
from .org_units import OrgUnit, OrgUnitKind, Level
from .sites import Site, SiteKind, SiteStatus, Domain

__all__ = ["OrgUnit", "OrgUnitKind", "Level", "Site", "SiteKind", "SiteStatus", "Domain"]
