"""Shapes of the library API's bodies: types and required fields only. Every rule (who
may repost, which column takes what, the hierarchy of a mandate …) is a service's, and
its refusal comes back as a 400/409 with the service's own message (errors.py)."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shared_library.resources.lib.metadata_schema import CURRENT_VERSION, upgrade
from shared_library.resources.models.resources import CONTENT_TYPE_LABELS
from tenants.columns.models import ColumnType

from ..models import Mandate, RepostMode
from ..services import mandates
from ..services.mandates import Compliance

MAX_BULK = 100
CONTENT_TYPE_CHOICES = list(CONTENT_TYPE_LABELS.items())


# -- output ----------------------------------------------------------------------------
class LibrarySiteSerializer(serializers.Serializer):
    code = serializers.CharField(source="short_code")
    name = serializers.CharField()


class ResourceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content_type = serializers.CharField(help_text="article, policy, interpretation or announcement")
    content_type_display = serializers.CharField(source="get_content_type_label")
    site = LibrarySiteSerializer(help_text="The source site")
    url = serializers.CharField(help_text="The item's address on its source site")
    pub_date = serializers.DateTimeField(allow_null=True)
    topic_code = serializers.CharField(help_text="Topic term code (taxonomy `topic`), empty if none")
    genre_code = serializers.CharField(help_text="Genre term code (taxonomy `genre`), empty if none")
    version = serializers.IntegerField(help_text="How many versions the library has received of it")
    updated_at = serializers.DateTimeField()


class ResourcePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ResourceSummarySerializer(many=True)


class ResourceDetailSerializer(ResourceSummarySerializer):
    schema_version = serializers.SerializerMethodField(help_text="The metadata schema version of `metadata`")
    metadata = serializers.SerializerMethodField(
        help_text="The metadata document (shared_library/resources/schemas/v<N>.json), in the current version "
                  "of the schema; `body` is sanitised HTML")

    def get_schema_version(self, resource) -> int:
        return CURRENT_VERSION

    @extend_schema_field(serializers.JSONField())
    def get_metadata(self, resource):
        # Stored documents not yet carried up by `jiyue library upgrade` are upgraded here.
        return upgrade(dict(resource.metadata), CURRENT_VERSION)


class RepostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    resource = serializers.IntegerField(source="resource_id")
    source_site = serializers.CharField(source="source_site.short_code")
    target_site = serializers.CharField(source="target_site.short_code")
    column = serializers.IntegerField(source="column_id")
    page = serializers.IntegerField(source="page_id", help_text="The page made on the target site")
    mode = serializers.CharField()
    status = serializers.CharField(help_text="in_review, live or removed")
    status_display = serializers.CharField(source="get_status_display")
    accepted_directly = serializers.BooleanField(help_text="Published without the target site's review")
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)


class RefusalSerializer(serializers.Serializer):
    resource = serializers.IntegerField()
    error = serializers.CharField()
    code = serializers.CharField(help_text="invalid, or conflict when already reposted there")


class RepostResultSerializer(serializers.Serializer):
    reposts = RepostSerializer(many=True)
    refusals = RefusalSerializer(many=True, help_text="The items that were not reposted, and why")


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    column = serializers.IntegerField(source="column_id")
    mode = serializers.CharField()
    source_site = LibrarySiteSerializer(allow_null=True)
    source_column = serializers.IntegerField(source="source_column_id", allow_null=True)
    source_column_title = serializers.CharField()
    topic = serializers.CharField(source="topic_code", help_text="Topic term code, empty for a column subscription")
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class TargetStateSerializer(serializers.Serializer):
    site = LibrarySiteSerializer(source="target.site")
    state = serializers.CharField(help_text=", ".join(Compliance.LABELS))
    state_display = serializers.CharField(source="label")
    overdue = serializers.BooleanField()
    reposted_at = serializers.DateTimeField(allow_null=True, help_text="When its repost was published")


class MandateResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class MandateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    resource = MandateResourceSerializer()
    issuer_site = LibrarySiteSerializer()
    column_type = serializers.CharField()
    mode = serializers.CharField()
    deadline = serializers.DateTimeField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    summary = serializers.DictField(child=serializers.IntegerField(), source="compliance_summary",
                                    help_text="How many target sites are in each state")
    targets = TargetStateSerializer(many=True, source="compliance_rows", help_text="Each target site's compliance")


def mandate_data(mandate) -> dict:
    """A mandate as the API shows it, with each target site's state now."""
    mandate = Mandate.objects.select_related("resource", "issuer_site").get(pk=mandate.pk)
    mandate.compliance_rows = mandates.states(mandate)
    mandate.compliance_summary = mandates.summary(mandate.compliance_rows)
    return MandateSerializer(mandate).data


# -- input -----------------------------------------------------------------------------
class ResourceFilterSerializer(serializers.Serializer):
    site = serializers.CharField(required=False, help_text="The source site's short code")
    content_type = serializers.ChoiceField(choices=CONTENT_TYPE_CHOICES, required=False)
    topic = serializers.CharField(required=False, help_text="A topic term code (taxonomy `topic`)")
    date_from = serializers.DateField(required=False, help_text="Published on or after (YYYY-MM-DD)")
    date_to = serializers.DateField(required=False, help_text="Published on or before (YYYY-MM-DD)")

    def validate(self, attrs):
        if "date_from" in attrs and "date_to" in attrs and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": [_("The end date is before the start date")]})
        return attrs


class RepostInputSerializer(serializers.Serializer):
    resources = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False,
                                      max_length=MAX_BULK, help_text="Ids of library items (at most 100)")
    column = serializers.IntegerField(help_text="The id of a column of the token's site")
    mode = serializers.ChoiceField(choices=RepostMode.choices)


class SubscribeInputSerializer(serializers.Serializer):
    """Either a column of another site (source_site and source_column) or a topic."""

    column = serializers.IntegerField(help_text="The id of the column of the token's site that receives")
    mode = serializers.ChoiceField(choices=RepostMode.choices)
    source_site = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text="The short code of the site whose column is subscribed")
    source_column = serializers.IntegerField(required=False, allow_null=True, default=None)
    topic = serializers.CharField(required=False, allow_blank=True, default="", help_text="A topic term code (taxonomy `topic`)")


class MandateInputSerializer(serializers.Serializer):
    resource = serializers.IntegerField(help_text="A live item of the token's site")
    targets = serializers.ListField(child=serializers.CharField(), allow_empty=False,
                                    help_text="Short codes of the sites the repost is mandatory for")
    column_type = serializers.ChoiceField(choices=ColumnType.choices)
    deadline = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                         help_text="Default: 12 hours from now")
    mode = serializers.ChoiceField(choices=RepostMode.choices, default=RepostMode.REFERENCE)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
