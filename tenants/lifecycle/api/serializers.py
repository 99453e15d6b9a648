"""Shapes of the API's bodies: types and required fields only. Every rule (who may,
naming, domains, dates, once a year …) is a service's, and its refusal comes back as
a 400/403 with the service's own message (errors.py)."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenants.registry.models import OrgUnit, SiteKind

from ..models import CheckResult, Decision, RequestKind, RequestState
from ..services import opening


# -- errors ----------------------------------------------------------------------------
class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="One line for a person, in the caller's language (Chinese by default)")
    code = serializers.CharField(help_text="invalid, parse_error, not_authenticated, authentication_failed, "
                                           "permission_denied, not_found, conflict, method_not_allowed …")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                   help_text="Messages per field at fault (`hosts.0` for an item of a list)")


# -- output ----------------------------------------------------------------------------
class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SiteRefSerializer(serializers.Serializer):
    code = serializers.CharField(source="short_code")
    name = serializers.CharField()
    status = serializers.CharField()


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    order = serializers.IntegerField()
    office = UnitSerializer()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    started_at = serializers.DateTimeField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField()
    version_number = serializers.IntegerField(allow_null=True, help_text="The version of the application decided")


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    payload = serializers.JSONField()
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    purpose = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class RequestSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    state = serializers.ChoiceField(choices=RequestState.choices)
    state_display = serializers.CharField(source="get_state_display")
    site = SiteRefSerializer()
    org_unit = UnitSerializer()
    applicant = serializers.CharField(source="applicant.username")
    version = serializers.IntegerField()
    round = serializers.IntegerField()
    pending_step = serializers.SerializerMethodField(help_text="The step waiting for a decision, if any")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(StepSerializer(allow_null=True))
    def get_pending_step(self, request):
        # `pending_steps` is prefetched by the list view; the detail view has `steps`.
        pending = getattr(request, "pending_steps", None)
        if pending is None:
            pending = [step for step in request.steps.all() if step.state == "pending"]
        return StepSerializer(pending[0]).data if pending else None


class RequestPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RequestSummarySerializer(many=True)


class RequestDetailSerializer(RequestSummarySerializer):
    payload = serializers.JSONField(help_text="The application as last submitted")
    complete_by = serializers.DateField(allow_null=True)
    steps = StepSerializer(many=True, source="steps.all")
    versions = VersionSerializer(many=True, source="versions.all")
    attachments = AttachmentSerializer(many=True, source="attachments.all")


class SiteDetailSerializer(serializers.Serializer):
    code = serializers.CharField(source="short_code")
    name = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    kind = serializers.CharField()
    level = serializers.CharField()
    org_unit = UnitSerializer()
    parent = serializers.CharField(source="parent.short_code", allow_null=True, default=None)
    primary_host = serializers.CharField(allow_null=True)
    identity_code = serializers.CharField(allow_null=True)
    sponsor = serializers.CharField()
    operator = serializers.CharField()
    responsible_person = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    lifecycle_requests = serializers.SerializerMethodField()

    @extend_schema_field(RequestSummarySerializer(many=True))
    def get_lifecycle_requests(self, site):
        return RequestSummarySerializer(self.context["requests"], many=True).data


class SecurityCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    site = serializers.CharField(source="site.short_code")
    result = serializers.ChoiceField(choices=CheckResult.choices)
    summary = serializers.CharField()
    checked_by = serializers.CharField(source="checked_by.username")
    checked_at = serializers.DateTimeField()
    report = AttachmentSerializer(allow_null=True)


# -- input -----------------------------------------------------------------------------
class RequestFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=RequestState.choices, required=False)
    kind = serializers.ChoiceField(choices=RequestKind.choices, required=False)
    site = serializers.CharField(required=False, help_text="A site's short code")


class OpeningSerializer(serializers.Serializer):
    """The fields of services.opening.submit_opening."""

    org_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all(),
                                            help_text="The code of the unit the site is for")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SiteKind.choices, required=False, allow_blank=True)
    short_code = serializers.CharField()
    hosts = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    sponsor = serializers.CharField()
    operator = serializers.CharField(required=False, allow_blank=True, default="")
    responsible_person = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField(required=False, allow_blank=True, default="")
    column_plan = serializers.CharField(required=False, allow_blank=True, default="")
    justification = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="Required (by the service) to reject or return")
    step = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    help_text="The id of the step the reviewer saw: if another decision came first, "
                                              "the answer is 409 instead of deciding the next step")


# What a resubmission may change, per kind: the keys of the application (payload) as
# stored; a change filing's values are under "changes".
RESUBMIT_FIELDS = {
    RequestKind.OPENING: set(opening.FIELDS),
    RequestKind.TEMPORARY_OFFLINE: {"reason", "starts_on", "planned_return_on"},
    RequestKind.PERMANENT_OFFLINE: {"reason"},
    RequestKind.CHANGE: {"changes", "reason"},
}


class ResubmitSerializer(serializers.Serializer):
    """The fields to change in a returned application (the others stay): an opening's
    fields; reason/starts_on/planned_return_on of a temporary offline; reason of a
    permanent offline; `changes` (an object like the change filing's body) and reason
    of a change filing."""

    name = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=SiteKind.choices, required=False, allow_blank=True)
    short_code = serializers.CharField(required=False)
    hosts = serializers.ListField(child=serializers.CharField(), required=False, allow_empty=False)
    sponsor = serializers.CharField(required=False)
    operator = serializers.CharField(required=False, allow_blank=True)
    responsible_person = serializers.CharField(required=False)
    contact_phone = serializers.CharField(required=False)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    column_plan = serializers.CharField(required=False, allow_blank=True)
    justification = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    starts_on = serializers.DateField(required=False)
    planned_return_on = serializers.DateField(required=False)
    changes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)

    def validate(self, attrs):
        kind = self.context["request_kind"]
        allowed = RESUBMIT_FIELDS[kind]
        extra = set(self.initial_data) - allowed if hasattr(self.initial_data, "keys") else set()
        if extra:
            raise serializers.ValidationError({
                field: [_("Not a field of a %(kind)s application") % {"kind": RequestKind(kind).label}]
                for field in sorted(extra)})
        return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in attrs.items()}


class WithdrawSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TemporaryOfflineSerializer(serializers.Serializer):
    reason = serializers.CharField()
    starts_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default: today")
    planned_return_on = serializers.DateField()


class PermanentOfflineSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ChangeFilingSerializer(serializers.Serializer):
    """Only the fields given are changed."""

    name = serializers.CharField(required=False)
    sponsor = serializers.CharField(required=False)
    operator = serializers.CharField(required=False, allow_blank=True)
    responsible_person = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    domain = serializers.CharField(required=False, help_text="The new primary domain")
    reason = serializers.CharField()


class SecurityCheckInputSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=CheckResult.choices)
    summary = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="Required (by the service) when the check failed")
    report = serializers.FileField(required=False, allow_null=True, default=None,
                                   help_text="The report file (multipart/form-data)")


class GoLiveSerializer(serializers.Serializer):
    identity_code = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="The site identification code, if not recorded yet")
