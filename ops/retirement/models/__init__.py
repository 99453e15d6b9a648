"""Migration of retired sites (docs in ../README.md)."""
from .content import (ExtractedPage, ImportedAsset, ImportedItem, ImportState, MappingRule, MappingStatus,
                      RetiredHost, RuleMatch, UrlMapping)
from .crawl import ArchiveRecord, CrawlHost, CrawlUrl, UrlState, WarcFile, WarcState
from .jobs import JobIssue, MigrationJob, RunState, Stage, StageRun

__all__ = ["ArchiveRecord", "CrawlHost", "CrawlUrl", "ExtractedPage", "ImportState", "ImportedAsset", "ImportedItem",
           "JobIssue", "MappingRule", "MappingStatus", "MigrationJob", "RetiredHost", "RuleMatch", "RunState", "Stage",
           "StageRun", "UrlMapping", "UrlState", "WarcFile", "WarcState"]
