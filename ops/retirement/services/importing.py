"""Importing the mapped pages of a retired site into the target site.

A content page's address is fixed when it is first published (tenants.content's short
URLs carry the date and the page id), so links between migrated pages are rewritten
with the addresses known when a page is written, and the pages that linked to a page
imported after them are written once more at the end; a re-run knows every address
from the start and finds nothing changed. Attachments and images are read from the WARC archive and
stored once each as documents and images of the target site (through the upload
policy of tenants.media: a macro document of 2009 is not republished). Each page is
then written in one transaction together with its ImportedItem and its URL mapping:
a run killed anywhere leaves whole pages or none, and a re-run updates what changed
(content_hash) and never makes a second page.

A page whose content checks find nothing is published as the old site published it
(original date, ImportAcceptance as provenance: job, old URL, archive record); one with
findings, or with government metadata missing, stays a draft for the site's editors,
with the findings listed in the report."""
import datetime
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context
from lxml import html as lxml_html

from ..lib.urls import UnusableUrl, canonicalize, url_hash
from ..models import (ArchiveRecord, CrawlUrl, ExtractedPage, ImportedAsset, ImportedItem, ImportState, MappingStatus,
                      Stage, UrlMapping)
from .archive import archive_storage, read_record
from .mapping import CONTENT_KINDS, LIST_KIND, content_type_for, rule_for, set_mapping
from .redirects import target_home
from .runs import record_issue, run_stage

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}
VALIDITY = {"valid", "amended", "repealed"}


def run_import(job, *, acting_user=None, progress_callback=None, max_pages: int | None = None):
    """Import (or update) every mapped page; returns the StageRun. `max_pages` stops
    after that many pages were written (for tests and careful first runs)."""

    def work(progress):
        return Importer(job, progress).run(max_pages=max_pages)

    return run_stage(job, Stage.IMPORT, work, acting_user=acting_user, progress_callback=progress_callback)


@dataclass
class Planned:
    page: ExtractedPage
    rule: object
    column: object
    content_type: str
    slug: str


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    drafts: int = 0
    failed: int = 0
    assets: int = 0
    refused_assets: list = field(default_factory=list)


class Importer:
    def __init__(self, job, progress):
        self.job = job
        self.site = job.target_site
        self.progress = progress
        self.storage = archive_storage(job)
        self.tally = Tally()

    def run(self, *, max_pages: int | None) -> str | None:
        with tenant_context(self.site):
            plan, list_targets = self._plan()
            self.progress.update(0, len(plan), "")
            assets = self._import_assets(plan)
            new_urls = self._published_urls()
            planned_hashes = {planned.page.url_hash for planned in plan}
            written, again = 0, []
            for index, planned in enumerate(plan, start=1):
                if max_pages is not None and written >= max_pages:
                    return _("Stopped after %(count)s pages; run the import again to go on") % {"count": written}
                waiting = {link for link in map(_hash, planned.page.links)
                           if link in planned_hashes and link not in new_urls and link != planned.page.url_hash}
                written += self._import_page(planned, new_urls, assets)
                if waiting:
                    again.append(planned)
                if index % 20 == 0 or index == len(plan):
                    self.progress.update(index, len(plan), self.summary())
            for index, planned in enumerate(again, start=1):  # their links to pages imported later, now known
                self._import_page(planned, new_urls, assets)
                if index % 20 == 0:
                    self.progress.update(len(plan), len(plan), self.summary())
            self._map_the_rest(list_targets)
            self.progress.update(len(plan), len(plan), self.summary())
        return None

    def _published_urls(self) -> dict[str, str]:
        """old URL hash -> new address of the pages this job imported and that are live."""
        from wagtail.models import Page

        items = dict(ImportedItem.objects.filter(job=self.job, site_id=self.site.pk, page_id__isnull=False)
                     .values_list("page_id", "source__url_hash"))
        urls = {}
        for page in Page.objects.filter(pk__in=list(items), live=True).specific().iterator(chunk_size=500):
            urls[items[page.pk]] = page.get_full_url()
        return urls

    # -- planning ------------------------------------------------------------------
    def _plan(self) -> tuple[list[Planned], dict[str, str]]:
        from tenants.columns.models import ColumnPage

        rules = list(self.job.rules.all())
        columns = {column.pk: column for column in ColumnPage.objects.filter(
            pk__in=[rule.target_column_id for rule in rules if rule.target_column_id])}
        for rule in rules:
            if rule.target_column_id and rule.target_column_id not in columns:
                record_issue(self.job, Stage.IMPORT, _(
                    "The target column %(id)s (%(title)s) of rule “%(pattern)s” no longer exists on %(site)s; "
                    "its pages are not imported") % {"id": rule.target_column_id, "title": rule.target_column_title,
                                                     "pattern": rule.pattern, "site": self.site.name})
        column_urls = {pk: column.get_full_url() for pk, column in columns.items()}
        self.root_url = next(iter(column_urls.values()), "").split("/", 3)[:3]
        plan, list_targets, slugs = [], {}, set()
        pages = ExtractedPage.objects.filter(job=self.job, kind__in=CONTENT_KINDS | {LIST_KIND}).order_by("id")
        for page in pages.select_related("record"):
            rule = rule_for(page, rules)
            column = columns.get(rule.target_column_id) if rule is not None else None
            if column is None:
                continue
            if page.kind == LIST_KIND:
                list_targets[page.url_hash] = column_urls[column.pk]
                continue
            plan.append(Planned(page=page, rule=rule, column=column, content_type=content_type_for(page, rule),
                                slug=_slug(page, slugs)))
        return plan, list_targets

    # -- attachments and images ----------------------------------------------------
    def _import_assets(self, plan: list[Planned]) -> dict[str, tuple[str, int, str]]:
        """old URL hash -> (kind, object id, new URL) for every attachment and image the planned pages use."""
        wanted = {}
        for planned in plan:
            for item in planned.page.attachments:
                wanted.setdefault(_hash(item["url"]), (item["url"], "document", item.get("title") or ""))
            for item in planned.page.images:
                wanted.setdefault(_hash(item["url"]), (item["url"], "image", item.get("alt") or ""))
        wanted.pop("", None)
        known = {asset.url_hash: asset for asset in ImportedAsset.objects.filter(job=self.job, site_id=self.site.pk)}
        records = {record.url_hash: record for record in ArchiveRecord.objects.filter(
            job=self.job, url_hash__in=[digest for digest in wanted if digest not in known], status_code=200)
            .select_related("warc")}
        assets = {}
        for digest, (url, kind, title) in wanted.items():
            asset = known.get(digest)
            if asset is None and digest in records:
                asset = self._store_asset(records[digest], kind, title)
            if asset is not None:
                target = _asset_object(asset)
                if target is not None:
                    assets[digest] = (asset.kind, asset.object_id, self._full_url(_asset_path(target)))
        return assets

    def _store_asset(self, record, kind: str, title: str) -> ImportedAsset | None:
        from wagtail.documents.models import Document
        from wagtail.images.models import Image

        from tenants.media.validators import check_upload

        response = read_record(record, self.storage)
        name = _file_name(record.url, response.header("content-type"))
        ext = name.rsplit(".", 1)[-1].lower()
        if kind == "image" and ext not in IMAGE_EXTENSIONS:
            kind = "document"
        upload = ContentFile(response.body, name=name)
        try:
            check_upload(upload, kind=kind)
        except ValidationError as refusal:
            message = " ".join(refusal.messages)
            self.tally.refused_assets.append((record.url, message))
            record_issue(self.job, Stage.IMPORT, _("Attachment not imported: %(reason)s") % {"reason": message},
                         record.url)
            return None
        title = (title or name)[:255]
        model = Image if kind == "image" else Document
        left = f"{'original_images' if kind == 'image' else 'documents'}/{name}"
        if default_storage.exists(left) and not model.objects.filter(file=left).exists():
            default_storage.delete(left)  # uploaded by a run killed before its row committed
        with transaction.atomic():
            if kind == "image":
                stored = Image(title=title, file=upload)
            else:
                stored = Document(title=title, file=upload)
            stored.save()
            asset = ImportedAsset.objects.create(job=self.job, url=record.url, url_hash=record.url_hash, kind=kind,
                                                 object_id=stored.pk, site_id=self.site.pk)
            set_mapping(self.job, record.url, self._full_url(_asset_path(stored)))
        self.tally.assets += 1
        return asset

    # -- pages ---------------------------------------------------------------------
    def _import_page(self, planned: Planned, new_urls: dict, assets: dict) -> int:
        """1 when the page was written (created or updated), else 0."""
        page = planned.page
        body, findings = rewrite_body(page.body_html, new_urls, assets, self.job)
        body += attachment_list(page.attachments, assets, body)
        values, value_findings = _page_values(page, planned.content_type)
        findings += value_findings
        digest = _content_hash(planned, body, values)
        item = ImportedItem.objects.filter(source=page).first()
        if item is not None and item.content_hash == digest and item.state != ImportState.FAILED \
                and self._still_there(item):
            self._refresh_draft_state(item, planned, new_urls)
            self.tally.unchanged += 1
            return 0
        try:
            with transaction.atomic():
                target, created = self._write_page(planned, item, body, values)
                revision = target.save_revision(user=None)
                findings += self._check_findings(revision)
                if findings:
                    state = ImportState.DRAFT
                else:
                    state = ImportState.PUBLISHED
                    self._publish(target, revision, page)
                ImportedItem.objects.update_or_create(source=page, defaults={
                    "job": self.job, "rule": planned.rule, "site_id": self.site.pk, "page_id": target.pk,
                    "state": state, "content_hash": digest, "findings": findings, "error": ""})
                if state == ImportState.PUBLISHED or target.live:
                    # Published now, or earlier (a changed page with findings keeps its live version).
                    new_urls[page.url_hash] = type(target).objects.get(pk=target.pk).get_full_url()
                    set_mapping(self.job, page.url, new_urls[page.url_hash])
                else:
                    set_mapping(self.job, page.url, "", note=_("imported as a draft with findings"))
        except ValidationError as error:
            message = "; ".join(error.messages)[:500]
            self.tally.failed += 1
            record_issue(self.job, Stage.IMPORT, _("The page could not be imported: %(error)s") % {"error": message},
                         page.url)
            ImportedItem.objects.update_or_create(source=page, defaults={
                "job": self.job, "rule": planned.rule, "site_id": self.site.pk, "state": ImportState.FAILED,
                "content_hash": "", "findings": [], "error": message})
            return 0
        self.tally.drafts += state == ImportState.DRAFT
        if created:
            self.tally.created += 1
        else:
            self.tally.updated += 1
        return 1

    def _still_there(self, item: ImportedItem) -> bool:
        from wagtail.models import Page

        return item.page_id is not None and Page.objects.filter(pk=item.page_id).exists()

    def _refresh_draft_state(self, item: ImportedItem, planned: Planned, new_urls: dict) -> None:
        """A draft that the site's editors have published since: its old URL now redirects."""
        if item.state == ImportState.DRAFT and planned.page.url_hash in new_urls:
            with transaction.atomic():
                item.state = ImportState.PUBLISHED
                item.save(update_fields=["state", "updated_at"])
                set_mapping(self.job, planned.page.url, new_urls[planned.page.url_hash])

    def _write_page(self, planned: Planned, item, body: str, values: dict):
        from wagtail.models import Page
        from wagtail.rich_text import RichText

        from tenants.reposts.services.pages import COPY_TYPES

        model = COPY_TYPES[planned.content_type]
        existing = None
        if item is not None and item.page_id is not None:
            existing = Page.objects.filter(pk=item.page_id).first()
            existing = existing.specific if existing is not None else None
        stream = [("paragraph", RichText(body))] if body else []
        values = dict(values)
        if values.get("index_number") and model.objects.filter(index_number=values["index_number"]).exclude(
                pk=getattr(existing, "pk", None)).exists():
            del values["index_number"]  # the old number is another page's here: a new one is allocated
        if existing is not None and isinstance(existing, model):
            for key, value in values.items():
                setattr(existing, key, value)
            existing.title, existing.body = planned.page.title[:255] or existing.title, stream
            return existing, False
        page = model(title=(planned.page.title or planned.slug)[:255], slug=planned.slug, body=stream, live=False,
                     **values)
        planned.column.add_child(instance=page)
        return page, True

    def _check_findings(self, revision) -> list[dict]:
        from tenants.review.services.checks import record_revision_checks

        record = record_revision_checks(revision)
        return [{"kind": "check", "severity": finding.get("severity", ""), "text": finding.get("text", ""),
                 "field": finding.get("label") or finding.get("field", ""), "message": finding.get("message", "")}
                for finding in record.report.get("findings", [])]

    def _publish(self, page, revision, source: ExtractedPage) -> None:
        from wagtail.models import Page

        from tenants.review.models import ImportAcceptance

        ImportAcceptance.objects.create(revision=revision, job_code=self.job.code, old_url=source.url,
                                        archive_record_id=source.record_id)
        revision.publish(user=None)
        if source.pub_date is not None:
            # Keep the old site's date as the page's first publication.
            Page.objects.filter(pk=page.pk).update(first_published_at=source.pub_date)

    # -- the rest of the old URLs --------------------------------------------------
    def _map_the_rest(self, list_targets: dict) -> None:
        """Lists go to their column, redirect hops to where their chain ends, the home
        to the target site's home; what has no place stays unresolved (410)."""
        for digest, column_url in list_targets.items():
            mapping = UrlMapping.objects.filter(job=self.job, url_hash=digest).first()
            if mapping is not None:
                set_mapping(self.job, mapping.old_url, column_url)
        home = target_home(self.job)
        for url in self.job.start_urls:  # the old home (and chains ending there) -> the new home
            if UrlMapping.objects.filter(job=self.job, url_hash=url_hash(url)).exists():
                set_mapping(self.job, url, home)
        resolved = dict(UrlMapping.objects.filter(job=self.job, status=MappingStatus.REDIRECT)
                        .values_list("url_hash", "new_url"))
        hops = dict(CrawlUrl.objects.filter(job=self.job).exclude(redirect_to="").values_list("url_hash", "redirect_to"))
        for digest, target in hops.items():
            seen, current = {digest}, _hash(target)
            while current in hops and current not in seen:
                seen.add(current)
                current = _hash(hops[current])
            if current in resolved:
                mapping = UrlMapping.objects.filter(job=self.job, url_hash=digest).first()
                if mapping is not None:
                    set_mapping(self.job, mapping.old_url, resolved[current])

    def _full_url(self, path: str) -> str:
        if not path or path.startswith(("http://", "https://")) or not getattr(self, "root_url", None):
            return path
        return "/".join(self.root_url) + path

    def summary(self) -> str:
        tally = self.tally
        return _("created %(created)s, updated %(updated)s, unchanged %(unchanged)s, drafts with findings "
                 "%(drafts)s, failed %(failed)s, files %(assets)s") % {
            "created": tally.created, "updated": tally.updated, "unchanged": tally.unchanged,
            "drafts": tally.drafts, "failed": tally.failed, "assets": tally.assets}


# -- bodies ------------------------------------------------------------------------
def rewrite_body(body_html: str, new_urls: dict, assets: dict, job) -> tuple[str, list[dict]]:
    """The body with links to migrated pages pointing at their new addresses, files and
    images at their stored copies (Wagtail's document links and image embeds), and the
    findings about links that have no new place."""
    if not body_html.strip():
        return "", []
    fragment = lxml_html.fragment_fromstring(body_html, create_parent="div")
    findings = []
    for element in fragment.iter("a", "img"):
        attribute = "href" if element.tag == "a" else "src"
        url = element.get(attribute) or ""
        digest = _hash(url)
        if not digest:
            continue
        if digest in assets:
            kind, object_id, new_url = assets[digest]
            if kind == "image" and element.tag == "img":
                embed = lxml_html.Element("embed", embedtype="image", id=str(object_id), format="fullwidth",
                                          alt=element.get("alt") or "")
                embed.tail = element.tail
                element.getparent().replace(element, embed)
            else:
                for key in list(element.attrib):
                    del element.attrib[key]
                element.set("linktype", "document")
                element.set("id", str(object_id))
        elif digest in new_urls:
            element.set(attribute, new_urls[digest])
        elif element.tag == "img":
            findings.append({"kind": "image", "severity": "warn", "text": url,
                             "message": _("The image %(url)s is not in the archive; it was left out") % {"url": url}})
            element.getparent().remove(element)
    inner = "".join(lxml_html.tostring(child, encoding="unicode") for child in fragment)
    return (escape(fragment.text) if fragment.text else "") + inner, findings


def attachment_list(attachments: list[dict], assets: dict, body: str) -> str:
    """The old page's attachments that its main text does not link, as a list after the
    text (old CMSs show them in a box of their own), linked to their stored documents."""
    items = []
    for attachment in attachments:
        stored = assets.get(_hash(attachment["url"]))
        if stored is None or f'linktype="document" id="{stored[1]}"' in body:
            continue
        title = escape(attachment.get("title") or attachment["url"].rsplit("/", 1)[-1])
        items.append(f'<li><a linktype="document" id="{stored[1]}">{title}</a></li>')
    if not items:
        return ""
    with translation.override(settings.LANGUAGE_CODE):  # content, in the site's language
        heading = escape(_("Attachments:"))
    return f"<p>{heading}</p><ol>{''.join(items)}</ol>"


# -- values ------------------------------------------------------------------------
def _page_values(page: ExtractedPage, content_type: str) -> tuple[dict, list[dict]]:
    """The page model's fields from the extracted metadata, and what is missing."""
    metadata = page.metadata or {}
    published = page.pub_date or _to_datetime(metadata.get("publish_date"))
    findings = []
    values = {"publish_time": published or timezone.now()}
    if published is None:
        findings.append(_missing(_("publication date")))
    if content_type == "article":
        values.update(source=(metadata.get("source") or "")[:100], author=(metadata.get("author") or "")[:100])
    elif content_type == "announcement":
        values.update(issuing_organ=(metadata.get("issuing_organ") or "")[:100])
    elif content_type == "policy":
        values.update(_policy_values(metadata, published, findings))
    return values, findings


def _policy_values(metadata: dict, published, findings: list) -> dict:
    from shared_library.taxonomy.queries import term_by_name
    from shared_library.taxonomy.standard_lists import GENRE, OTHER, TOPIC
    fallback = (published or timezone.now()).date()
    written = _to_date(metadata.get("written_date"))
    publish = _to_date(metadata.get("publish_date")) or fallback
    values = {"issuing_organ": (metadata.get("issuing_organ") or "")[:100],
              "document_number": (metadata.get("document_number") or "")[:100],
              "written_date": written or publish, "publish_date": publish, "validity": "valid"}
    if not values["issuing_organ"]:
        findings.append(_missing(_("issuing authority")))
    if written is None:
        findings.append(_missing(_("date written")))
    if written and written > publish:
        values["written_date"] = publish
        findings.append({"kind": "metadata", "severity": "warn", "text": str(written), "message": _(
            "The date written (%(written)s) is later than the publication date; set to the publication date")
            % {"written": written}})
    validity = metadata.get("validity") or "valid"
    if validity == "amended":
        findings.append({"kind": "metadata", "severity": "warn", "text": validity, "message": _(
            "The old page says the document was amended; link the document that amends it")})
    elif validity in VALIDITY:
        values["validity"] = validity
    for taxonomy, key, label in ((TOPIC, "topic", _("topic")), (GENRE, "genre", _("genre"))):
        name = metadata.get(key) or ""
        term = term_by_name(taxonomy, name) if name else None
        if term is None:
            term = term_by_name(taxonomy, OTHER)
            findings.append({"kind": "metadata", "severity": "warn", "text": name, "message": _(
                "%(label)s “%(name)s” is not in the standard list; set to “%(other)s”") % {
                "label": label, "name": name or "—", "other": term.name if term else "—"}})
        values[key] = term
    if metadata.get("index_number"):
        values["index_number"] = metadata["index_number"][:140]  # kept unless taken (_write_page)
    return values


def _missing(label) -> dict:
    return {"kind": "metadata", "severity": "warn", "text": "",
            "message": _("The old page shows no %(field)s") % {"field": label}}


def _to_date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _to_datetime(value):
    day = _to_date(value)
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _content_hash(planned: Planned, body: str, values: dict) -> str:
    def plain(value):
        return getattr(value, "pk", None) or (value.isoformat() if hasattr(value, "isoformat") else value)

    data = {"title": planned.page.title, "body": body, "type": planned.content_type, "column": planned.column.pk,
            "values": {key: plain(value) for key, value in sorted(values.items()) if key != "publish_time"
                       or planned.page.pub_date is not None}}
    return hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


# -- names and addresses -----------------------------------------------------------
def _slug(page: ExtractedPage, taken: set) -> str:
    """From the old file name (c123.htm -> c123), with a bit of the URL's hash: stable
    from run to run and unique in the job."""
    stem = os.path.splitext(os.path.basename(urlsplit(page.url).path.rstrip("/")))[0]
    slug = f"{slugify(stem)[:40] or 'page'}-{page.url_hash[:6]}"
    while slug in taken:
        slug = f"{slug}x"
    taken.add(slug)
    return slug


def _file_name(url: str, content_type: str) -> str:
    base = os.path.basename(urlsplit(url).path) or "file"
    stem, ext = os.path.splitext(base)
    ext = ext.lower().lstrip(".")
    if not ext:
        ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}.get(
            content_type.split(";")[0].strip().lower(), "bin")
    stem = re.sub(r"[^\w.-]", "_", stem)[:60] or "file"
    return f"{stem}-{url_hash(url)[:8]}.{ext}"


def _hash(url: str) -> str:
    try:
        return url_hash(canonicalize(url))
    except UnusableUrl:
        return ""


def _asset_object(asset: ImportedAsset):
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    model = Image if asset.kind == "image" else Document
    return model.objects.filter(pk=asset.object_id).first()


def _asset_path(stored) -> str:
    """A document's serve view; an image's original file under the site's /media/."""
    from wagtail.documents.models import Document

    if isinstance(stored, Document):
        return stored.url
    return f"/media/{stored.file.name}"
