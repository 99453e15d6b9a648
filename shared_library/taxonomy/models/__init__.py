"""Taxonomies of the unified resource library (统一信息资源库): 主题分类, 体裁分类 and
later 服务对象. Public schema; site schemas point at terms without FK constraints
(see jiyue.db.backend), so terms are deactivated, never deleted."""
from .terms import Taxonomy, Term

__all__ = ["Taxonomy", "Term"]
