"""Lifecycle requests (开办, 临时下线, 永久下线, 变更备案), their versions and the review
steps that climb the org hierarchy. The allowed transitions of a request are the
django-fsm-2 transitions on LifecycleRequest, declared once here; the services in
tenants.lifecycle.services call them."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition


class RequestKind(models.TextChoices):
    OPENING = "opening", _("Site opening")
    TEMPORARY_OFFLINE = "temporary_offline", _("Temporary offline")
    PERMANENT_OFFLINE = "permanent_offline", _("Permanent offline")
    CHANGE = "change", _("Change filing")


class RequestState(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", pgettext_lazy("lifecycle", "Approved")
    REJECTED = "rejected", pgettext_lazy("lifecycle", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", pgettext_lazy("lifecycle", "Completed")


R = RequestState
# States in which a request still waits for someone (a reviewer or the applicant).
OPEN_STATES = (R.IN_REVIEW, R.RETURNED)


class LifecycleRequest(models.Model):
    kind = models.CharField(pgettext_lazy("lifecycle", "type"), max_length=30, choices=RequestKind.choices)
    state = FSMField(pgettext_lazy("lifecycle", "state"), max_length=20, choices=RequestState.choices,
                     default=RequestState.IN_REVIEW)
    site = models.ForeignKey("registry.Site", verbose_name=pgettext_lazy("lifecycle", "site"),
                             on_delete=models.PROTECT, related_name="lifecycle_requests")
    # The unit the request is for: its place in the hierarchy gives the review chain,
    # and an API token of a unit reaches the requests of its subtree only.
    org_unit = models.ForeignKey("registry.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                                 related_name="lifecycle_requests")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("lifecycle", "applicant"),
                                  on_delete=models.PROTECT, related_name="lifecycle_requests")
    payload = models.JSONField(_("application"), default=dict)
    version = models.PositiveIntegerField(pgettext_lazy("lifecycle", "version"), default=1)
    round = models.PositiveIntegerField(_("review round"), default=1)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # A closure that must be finished by this date (permanent offline), else escalated.
    complete_by = models.DateField(_("to be completed by"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lifecycle request")
        verbose_name_plural = _("lifecycle requests")
        ordering = ["-created_at"]
        constraints = [
            # One open request of each kind per site: two offline requests cannot race.
            models.UniqueConstraint(fields=["site", "kind"], condition=models.Q(state__in=["in_review", "returned"]),
                                    name="lifecycle_one_open_request_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.site}"

    # -- transitions (callers save afterwards) -----------------------------------------
    @transition(field=state, source=R.IN_REVIEW, target=R.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=R.IN_REVIEW, target=R.REJECTED)
    def reject(self):
        pass

    @transition(field=state, source=R.IN_REVIEW, target=R.RETURNED)
    def return_for_changes(self):
        pass

    @transition(field=state, source=R.RETURNED, target=R.IN_REVIEW)
    def resubmit(self):
        pass

    @transition(field=state, source=[R.IN_REVIEW, R.RETURNED], target=R.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=R.APPROVED, target=R.COMPLETED)
    def complete(self):
        pass

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def current_step(self):
        return self.steps.filter(round=self.round, state=StepState.PENDING).select_related("office").first()


class RequestVersion(models.Model):
    """Every submitted version of an application is kept (a return and resubmit adds one)."""

    request = models.ForeignKey(LifecycleRequest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(pgettext_lazy("lifecycle", "version"))
    payload = models.JSONField(_("application"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="lifecycle_version_unique")]


class StepState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", pgettext_lazy("lifecycle", "Approved")
    REJECTED = "rejected", pgettext_lazy("lifecycle", "Rejected")
    RETURNED = "returned", _("Returned for changes")
    CANCELLED = "cancelled", _("Cancelled")


class Decision(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("lifecycle decision", "Approve")
    REJECT = "reject", pgettext_lazy("lifecycle decision", "Reject")
    RETURN = "return", _("Return for changes")


class ReviewStep(models.Model):
    """One office's review of one round of a request: county office, city office,
    provincial office, in the order of the hierarchy."""

    request = models.ForeignKey(LifecycleRequest, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveIntegerField(_("review round"))
    order = models.PositiveIntegerField(_("step"))
    office = models.ForeignKey("registry.OrgUnit", verbose_name=_("reviewing office"), on_delete=models.PROTECT,
                               related_name="+")
    state = models.CharField(pgettext_lazy("lifecycle", "state"), max_length=20, choices=StepState.choices,
                             default=StepState.WAITING)
    started_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(pgettext_lazy("lifecycle", "comment"), blank=True)
    version_number = models.PositiveIntegerField(_("version reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["round", "order"]
        constraints = [models.UniqueConstraint(fields=["request", "round", "order"], name="lifecycle_step_unique")]


def _attachment_path(instance, filename):
    return f"lifecycle/{instance.request_id}/{filename}"


class Attachment(models.Model):
    """A file of a request: the application's annexes, the security check report, the
    evidence of a closure step."""

    request = models.ForeignKey(LifecycleRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=40, default="application")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
