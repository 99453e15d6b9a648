"""The lifecycle JSON API, for a province's OA system: the same actions as the console
pages, through the same services. Each view: parse the body (serializers.py, shapes
only), look the object up through access_* within the token's unit, call one service,
answer JSON. Errors: errors.py. Authentication: authentication.py (no session, so
no CSRF). The OpenAPI document is at /api/v1/schema/ (no token needed: it holds no data)."""
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import LifecycleRequest, ReviewStep, StepState
from ..queries import access_lifecycle_site, access_request, visible_requests
from ..services import changes, offline, opening
from ..services.requests import StepAlreadyDecided, decide_step, resubmit_request, withdraw_request
from . import serializers as s
from .serializers import ErrorSerializer
from .authentication import UnitTokenAuthentication
from .errors import Conflict, exception_handler
from .permissions import HasUnitToken, check_unit_in_scope

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid body, or refused by the workflow's rules"),
    401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown or revoked one"),
    403: OpenApiResponse(ErrorSerializer, description="The token's user may not do this, or the unit is out of "
                                                      "the token's scope"),
    404: OpenApiResponse(ErrorSerializer, description="No such request or site within the token's scope"),
}


def errors(*codes):
    return {code: ERRORS[code] for code in (400, 401, 403, 404) if code in codes or not codes}


class LifecycleAPIView(APIView):
    """The base of every lifecycle API view: token authentication only, JSON only, our
    error format. Set here, not in REST_FRAMEWORK, because Wagtail's admin API shares DRF."""

    authentication_classes = [UnitTokenAuthentication]
    permission_classes = [HasUnitToken]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer]

    def get_exception_handler(self):
        return exception_handler

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(_("Send an API token: the header “Authorization: Token <key>”"))
        super().permission_denied(request, message=message, code=code)

    # -- lookups within the token's unit --------------------------------------------
    @property
    def scope(self):
        return self.request.auth.org_unit

    def get_lifecycle_request(self, request_id):
        return access_request(self.request.user, request_id, within_unit=self.scope)

    def get_site(self, code):
        return access_lifecycle_site(self.request.user, code, within_unit=self.scope)

    def parse(self, serializer_class, **context):
        serializer = serializer_class(data=self.request.data, context={"request": self.request, **context})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def detail(self, lifecycle_request, status_code=status.HTTP_200_OK):
        """The request as it is now, with its steps, versions and attachments."""
        lifecycle_request = (LifecycleRequest.objects.select_related("site", "org_unit", "applicant")
                             .prefetch_related(
                                 Prefetch("steps", queryset=ReviewStep.objects.select_related("office", "decided_by")),
                                 "versions__created_by", "attachments")
                             .get(pk=lifecycle_request.pk))
        return Response(s.RequestDetailSerializer(lifecycle_request).data, status=status_code)


class RequestPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


def _with_pending_step(requests):
    return requests.prefetch_related(Prefetch(
        "steps", queryset=ReviewStep.objects.filter(state=StepState.PENDING).select_related("office", "decided_by"),
        to_attr="pending_steps"))


class RequestListView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_requests_list", parameters=[
        s.RequestFilterSerializer,
        OpenApiParameter("limit", int, description=f"Page size (default {RequestPagination.default_limit}, "
                                                   f"at most {RequestPagination.max_limit})"),
        OpenApiParameter("offset", int, description="Index of the first result")],
                   responses={200: s.RequestPageSerializer, **errors(400, 401)},
                   summary="Lifecycle requests within the token's unit that its user may read, newest first")
    def get(self, request):
        filters = s.RequestFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        requests = visible_requests(request.user, within_unit=self.scope).order_by("-created_at", "-id")
        for field in ("state", "kind"):
            if field in filters.validated_data:
                requests = requests.filter(**{field: filters.validated_data[field]})
        if "site" in filters.validated_data:
            requests = requests.filter(site__short_code=filters.validated_data["site"])
        paginator = RequestPagination()
        page = paginator.paginate_queryset(_with_pending_step(requests), request, view=self)
        return paginator.get_paginated_response(s.RequestSummarySerializer(page, many=True).data)

    @extend_schema(operation_id="lifecycle_openings_create", request=s.OpeningSerializer,
                   responses={201: s.RequestDetailSerializer, **errors(400, 401, 403)},
                   summary="Apply for the opening of a site of a unit within the token's scope")
    def post(self, request):
        data = dict(self.parse(s.OpeningSerializer))
        org_unit = data.pop("org_unit")
        check_unit_in_scope(request.auth, org_unit)
        created = opening.submit_opening(acting_user=request.user, org_unit=org_unit, **data)
        return self.detail(created, status.HTTP_201_CREATED)


class RequestDetailView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_requests_retrieve", responses={200: s.RequestDetailSerializer,
                                                                           **errors(401, 404)},
                   summary="One request with its review steps, versions and attachments")
    def get(self, request, request_id):
        return self.detail(self.get_lifecycle_request(request_id))


class DecisionView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_requests_decide", request=s.DecisionSerializer,
                   responses={200: s.RequestDetailSerializer, **errors(),
                              409: OpenApiResponse(ErrorSerializer, description="The step was already decided "
                                                                                 "(by someone else, or earlier)")},
                   summary="Decide the pending step: approve, reject or return for changes")
    def post(self, request, request_id):
        lifecycle_request = self.get_lifecycle_request(request_id)
        data = self.parse(s.DecisionSerializer)
        try:
            decided = decide_step(lifecycle_request, acting_user=request.user, decision=data["decision"],
                                  comment=data["comment"], step_id=data["step"])
        except StepAlreadyDecided as error:
            raise Conflict(error.messages[0]) from error
        return self.detail(decided)


class ResubmitView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_requests_resubmit", request=s.ResubmitSerializer,
                   responses={200: s.RequestDetailSerializer, **errors()},
                   summary="Resubmit a request returned for changes (a new version, a new review round)")
    def post(self, request, request_id):
        lifecycle_request = self.get_lifecycle_request(request_id)
        data = self.parse(s.ResubmitSerializer, request_kind=lifecycle_request.kind)
        return self.detail(resubmit_request(lifecycle_request, acting_user=request.user, changes=data))


class WithdrawView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_requests_withdraw", request=s.WithdrawSerializer,
                   responses={200: s.RequestDetailSerializer, **errors()},
                   summary="Withdraw a request in review or returned (the applicant)")
    def post(self, request, request_id):
        lifecycle_request = self.get_lifecycle_request(request_id)
        data = self.parse(s.WithdrawSerializer)
        return self.detail(withdraw_request(lifecycle_request, acting_user=request.user, comment=data["comment"]))


class SiteDetailView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_sites_retrieve", responses={200: s.SiteDetailSerializer,
                                                                        **errors(401, 404)},
                   summary="A site's status and its lifecycle requests")
    def get(self, request, code):
        site = self.get_site(code)
        requests = _with_pending_step(visible_requests(request.user, within_unit=self.scope)
                                      .filter(site=site).order_by("-created_at", "-id"))
        return Response(s.SiteDetailSerializer(site, context={"requests": requests}).data)


class TemporaryOfflineView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_sites_temporary_offline", request=s.TemporaryOfflineSerializer,
                   responses={201: s.RequestDetailSerializer, **errors()},
                   summary="Apply for a temporary offline (at most 30 days, once a year)")
    def post(self, request, code):
        site = self.get_site(code)
        data = self.parse(s.TemporaryOfflineSerializer)
        created = offline.apply_for_temporary_offline(site, acting_user=request.user, **data)
        return self.detail(created, status.HTTP_201_CREATED)


class PermanentOfflineView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_sites_permanent_offline", request=s.PermanentOfflineSerializer,
                   responses={201: s.RequestDetailSerializer, **errors()},
                   summary="Apply for a permanent offline (closure)")
    def post(self, request, code):
        site = self.get_site(code)
        data = self.parse(s.PermanentOfflineSerializer)
        created = offline.apply_for_permanent_offline(site, acting_user=request.user, reason=data["reason"])
        return self.detail(created, status.HTTP_201_CREATED)


class ChangeFilingView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_sites_change_filing", request=s.ChangeFilingSerializer,
                   responses={201: s.RequestDetailSerializer, **errors()},
                   summary="File a change of the site's basic information or domain")
    def post(self, request, code):
        site = self.get_site(code)
        data = dict(self.parse(s.ChangeFilingSerializer))
        created = changes.file_change(site, acting_user=request.user, **data)
        return self.detail(created, status.HTTP_201_CREATED)


class SecurityCheckView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_sites_security_check", request={
        "multipart/form-data": s.SecurityCheckInputSerializer, "application/json": s.SecurityCheckInputSerializer},
                   responses={201: s.SecurityCheckSerializer, **errors()},
                   summary="Record the security check of a pre-launch site (ops)")
    def post(self, request, code):
        site = self.get_site(code)
        data = self.parse(s.SecurityCheckInputSerializer)
        check = opening.record_security_check(site, acting_user=request.user, result=data["result"],
                                              summary=data["summary"], report=data["report"])
        return Response(s.SecurityCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class GoLiveView(LifecycleAPIView):
    @extend_schema(operation_id="lifecycle_sites_go_live", request=s.GoLiveSerializer,
                   responses={200: s.SiteDetailSerializer, **errors()},
                   summary="Open a pre-launch site whose security check passed (ops, provincial office)")
    def post(self, request, code):
        site = self.get_site(code)
        data = self.parse(s.GoLiveSerializer)
        site = opening.go_live(site, acting_user=request.user, identity_code=data["identity_code"] or None)
        requests = _with_pending_step(visible_requests(request.user, within_unit=self.scope)
                                      .filter(site=site).order_by("-created_at", "-id"))
        return Response(s.SiteDetailSerializer(site, context={"requests": requests}).data)


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document (YAML; JSON with ?format=json). No token: it holds no data."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # The URLconf the request was routed through (the console's), not ROOT_URLCONF.
        self.urlconf = getattr(request, "urlconf", None) or self.urlconf
        return super().get(request, *args, **kwargs)

