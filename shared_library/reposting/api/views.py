"""The library's JSON API (on the console host, under /api/v1/library/; the OpenAPI
document is the lifecycle API's, /api/v1/schema/, which covers every path).

- Read, no token: the live, valid items of online sites and one item's metadata
  document. Withdrawn, deleted or schema-invalid items are not served (404).
- Write, a site's API token (authentication.py): repost into the token's site,
  subscribe its columns, issue a mandate and read its compliance. The path names the
  site; any other site than the token's is a 403 (permissions.py).

Each view: parse the body (serializers.py, shapes only), look objects up, call one
service of shared_library.reposting.services, answer JSON. Errors: errors.py."""
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_library.resources.models import Resource
from shared_library.resources.queries import public_resources
from tenants.lifecycle.api.serializers import ErrorSerializer
from tenants.registry.models import Site

from ..models import Mandate, Repost, Subscription
from ..services import mandates
from ..services.reposts import RepostRefused, repost_many
from ..services.subscriptions import subscribe, unsubscribe
from . import serializers as s
from .authentication import SiteTokenAuthentication
from .errors import AlreadyThere, exception_handler
from .permissions import HasSiteToken, check_owned_by_token_site, check_site_of_token

RESOURCES, REPOSTS, SUBSCRIPTIONS, MANDATES = ("library resources", "library reposts", "library subscriptions",
                                               "library mandates")
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid body or query, or refused by the reposting rules"),
    401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown or revoked one"),
    403: OpenApiResponse(ErrorSerializer, description="The path or object is of another site than the token's"),
    404: OpenApiResponse(ErrorSerializer, description="No such item, subscription or mandate"),
    409: OpenApiResponse(ErrorSerializer, description="The item is already reposted in that column"),
}


def errors(*codes):
    return {code: ERRORS[code] for code in codes}


class LibraryAPIView(APIView):
    """The base of the library API's write views: a site's token only, JSON only, the
    lifecycle API's error format. Set here, not in REST_FRAMEWORK (Wagtail shares DRF)."""

    authentication_classes = [SiteTokenAuthentication]
    permission_classes = [HasSiteToken]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    def get_exception_handler(self):
        return exception_handler

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(_("Send an API token: the header “Authorization: Token <key>”"))
        super().permission_denied(request, message=message, code=code)

    def site_of_token(self, code):
        """The token's site, if the path names it (else 403)."""
        check_site_of_token(self.request.auth, code)
        return self.request.auth.site

    def parse(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class PublicLibraryView(LibraryAPIView):
    """Reads of public data: no token."""

    authentication_classes = []
    permission_classes = [AllowAny]


def _invalid(field, messages):
    return exceptions.ValidationError({field: messages})


def _sites_by_code(codes, field):
    sites = {site.short_code: site for site in Site.objects.filter(short_code__in=codes)}
    unknown = [code for code in codes if code not in sites]
    if unknown:
        raise _invalid(field, [_("No site has the short code “%(code)s”") % {"code": code} for code in unknown])
    return [sites[code] for code in codes]


# -- read: the library ------------------------------------------------------------------
class ResourcePagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


class ResourceListView(PublicLibraryView):
    @extend_schema(operation_id="library_resources_list", tags=[RESOURCES], auth=[], parameters=[
        s.ResourceFilterSerializer,
        OpenApiParameter("limit", int, description=f"Page size (default {ResourcePagination.default_limit}, "
                                                   f"at most {ResourcePagination.max_limit})"),
        OpenApiParameter("offset", int, description="Index of the first result")],
                   responses={200: s.ResourcePageSerializer, **errors(400)},
                   summary="The live items of online sites in the library, newest first (no token needed)",
                   description="Published items whose metadata passes the schema, of sites that are online. "
                               "Withdrawn, deleted and schema-invalid items are left out.")
    def get(self, request):
        filters = s.ResourceFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        resources = public_resources(site_code=data.get("site", ""), content_type=data.get("content_type", ""),
                                     topic_code=data.get("topic", ""), date_from=data.get("date_from"),
                                     date_to=data.get("date_to"))
        paginator = ResourcePagination()
        page = paginator.paginate_queryset(resources, request, view=self)
        return paginator.get_paginated_response(s.ResourceSummarySerializer(page, many=True).data)


class ResourceDetailView(PublicLibraryView):
    @extend_schema(operation_id="library_resources_retrieve", tags=[RESOURCES], auth=[],
                   responses={200: s.ResourceDetailSerializer, **errors(404)},
                   summary="One live item with its metadata document (no token needed)",
                   description="The metadata document in the current schema version, and the item's address on "
                               "its source site. A withdrawn, deleted or schema-invalid item is a 404.")
    def get(self, request, resource_id):
        resource = public_resources().filter(pk=resource_id).first()
        if resource is None:
            raise Http404(_("No published item of the library has the id %(id)s") % {"id": resource_id})
        return Response(s.ResourceDetailSerializer(resource).data)


# -- write: reposts --------------------------------------------------------------------
def _reposts(records):
    return Repost.objects.filter(pk__in=[record.pk for record in records]) \
        .select_related("source_site", "target_site").order_by("pk")


class RepostView(LibraryAPIView):
    @extend_schema(operation_id="library_reposts_create", tags=[REPOSTS], request=s.RepostInputSerializer,
                   responses={201: s.RepostResultSerializer, **errors(400, 401, 403, 409)},
                   summary="Repost library items into a column of the token's site",
                   description="Each item in its own transaction. If at least one was reposted the answer is 201 "
                               "with the reposts and the refusals; if none was, the refusal is the answer: 400, "
                               "or 409 when every item is already reposted in that column.")
    def post(self, request, code):
        site = self.site_of_token(code)
        data = self.parse(s.RepostInputSerializer)
        ids = list(dict.fromkeys(data["resources"]))
        found = Resource.objects.in_bulk(ids)
        unknown = [resource_id for resource_id in ids if resource_id not in found]
        if unknown:
            raise _invalid("resources", [_("No item of the library has the id %(id)s") % {"id": resource_id}
                                         for resource_id in unknown])
        options = {"target_site": site, "column_id": data["column"], "mode": data["mode"],
                   "acting_user": request.user}
        result = repost_many([found[resource_id] for resource_id in ids], **options)
        done, refused = result.reposts, result.refusals
        refusals = [{"resource": resource.pk, "error": message,
                     "code": "conflict" if resource.pk in result.already_there else "invalid"}
                    for resource, message in refused]
        if not done:
            separator = pgettext("library api separator of error messages", "; ")
            message = refusals[0]["error"] if len(refusals) == 1 else \
                _("None of the items could be reposted: %(reasons)s") % {
                    "reasons": separator.join(refusal["error"] for refusal in refusals)}
            if all(refusal["code"] == "conflict" for refusal in refusals):
                raise AlreadyThere(message)
            raise RepostRefused(message)
        return Response({"reposts": s.RepostSerializer(_reposts(done), many=True).data, "refusals": refusals},
                        status=status.HTTP_201_CREATED)


# -- write: subscriptions --------------------------------------------------------------
def _subscriptions():
    return Subscription.objects.select_related("source_site")


class SubscriptionListView(LibraryAPIView):
    @extend_schema(operation_id="library_subscriptions_list", tags=[SUBSCRIPTIONS],
                   responses={200: s.SubscriptionSerializer(many=True), **errors(401, 403)},
                   summary="The active subscriptions of the token's site",
                   description="The columns of the site that receive another site's column or a topic.")
    def get(self, request, code):
        site = self.site_of_token(code)
        subscriptions = _subscriptions().filter(target_site=site, active=True).order_by("pk")
        return Response(s.SubscriptionSerializer(subscriptions, many=True).data)

    @extend_schema(operation_id="library_subscriptions_create", tags=[SUBSCRIPTIONS],
                   request=s.SubscribeInputSerializer,
                   responses={201: s.SubscriptionSerializer, **errors(400, 401, 403)},
                   summary="Subscribe a column of the token's site to another site's column or to a topic",
                   description="Give `source_site` and `source_column`, or `topic`. New items of the source are "
                               "then reposted into the column, through the site's review unless the column "
                               "accepts the source directly.")
    def post(self, request, code):
        site = self.site_of_token(code)
        data = self.parse(s.SubscribeInputSerializer)
        source_site = _sites_by_code([data["source_site"]], "source_site")[0] if data["source_site"] else None
        subscription = subscribe(target_site=site, column_id=data["column"], mode=data["mode"],
                                 acting_user=request.user, source_site=source_site,
                                 source_column_id=data["source_column"], topic_code=data["topic"])
        return Response(s.SubscriptionSerializer(_subscriptions().get(pk=subscription.pk)).data,
                        status=status.HTTP_201_CREATED)


class SubscriptionDetailView(LibraryAPIView):
    @extend_schema(operation_id="library_subscriptions_destroy", tags=[SUBSCRIPTIONS],
                   responses={204: None, **errors(400, 401, 403, 404)},
                   summary="End a subscription of the token's site",
                   description="Items already reposted stay; no new ones come.")
    def delete(self, request, code, subscription_id):
        self.site_of_token(code)
        subscription = Subscription.objects.select_related("target_site").filter(
            pk=subscription_id, active=True).first()
        if subscription is None:
            raise Http404(_("There is no active subscription with the id %(id)s") % {"id": subscription_id})
        check_owned_by_token_site(request.auth, subscription.target_site_id)
        unsubscribe(subscription, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# -- write: mandates -------------------------------------------------------------------
class MandateListView(LibraryAPIView):
    @extend_schema(operation_id="library_mandates_create", tags=[MANDATES], request=s.MandateInputSerializer,
                   responses={201: s.MandateSerializer, **errors(400, 401, 403)},
                   summary="Mandate one of the token's site's items for the sites below it",
                   description="Only a portal, for online sites of the units under its government, into a column "
                               "type, in a mode, with a deadline (default 12 hours).")
    def post(self, request, code):
        site = self.site_of_token(code)
        data = self.parse(s.MandateInputSerializer)
        resource = Resource.objects.filter(pk=data["resource"]).first()
        if resource is None:
            raise _invalid("resource", [_("No item of the library has the id %(id)s") % {"id": data["resource"]}])
        targets = _sites_by_code(list(dict.fromkeys(data["targets"])), "targets")
        mandate = mandates.issue_mandate(resource, issuer_site=site, target_sites=targets,
                                         column_type=data["column_type"], acting_user=request.user,
                                         deadline=data["deadline"], mode=data["mode"], note=data["note"])
        return Response(s.mandate_data(mandate), status=status.HTTP_201_CREATED)


class MandateDetailView(LibraryAPIView):
    @extend_schema(operation_id="library_mandates_retrieve", tags=[MANDATES],
                   responses={200: s.MandateSerializer, **errors(401, 403, 404)},
                   summary="A mandate issued by the token's site, with each target site's compliance",
                   description="Each target: on_time, late, in_review, pending or missing (deadline passed, "
                               "nothing published), and a count per state.")
    def get(self, request, code, mandate_id):
        self.site_of_token(code)
        mandate = Mandate.objects.filter(pk=mandate_id).first()
        if mandate is None:
            raise Http404(_("There is no mandatory repost with the id %(id)s") % {"id": mandate_id})
        check_owned_by_token_site(request.auth, mandate.issuer_site_id)
        return Response(s.mandate_data(mandate))
