"""Government content types (Wagtail pages under columns) and the 索引号 tables."""
from .announcements import AnnouncementKind, AnnouncementPage
from .articles import ArticlePage
from .index_numbers import IndexNumberCounter, IndexNumberSettings, IssuedIndexNumber
from .interpretations import InterpretationPage
from .policies import PolicyAttachment, PolicyDocumentPage, Validity

__all__ = [
    "AnnouncementKind", "AnnouncementPage", "ArticlePage", "IndexNumberCounter", "IndexNumberSettings",
    "InterpretationPage", "IssuedIndexNumber", "PolicyAttachment", "PolicyDocumentPage", "Validity",
]
