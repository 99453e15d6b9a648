"""The library's JSON API: public reads of live items (withdrawn, deleted and
schema-invalid ones are not served), and a site's API token reposting, subscribing and
mandating for its own site only, through the reposting services; every refusal a JSON
error with a Chinese message and nothing written; the OpenAPI document."""
import datetime
import json
import re

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from jiyue.identity.models import SiteApiToken, SiteRole
from jiyue.identity.services.tokens import hash_key, issue_site_api_token, revoke_site_api_token
from shared_library.reposting.models import Mandate, MandateTarget, Repost, RepostStatus, Subscription
from shared_library.resources.models import Resource
from tests.factories import grant, make_online_site, make_user
from tests.factories.clients import CONSOLE
from tests.factories.lifecycle import make_province_tree
from tests.shared_library.reposting.support import column_id, published_article, withdraw

HAN = re.compile(r"[\u4e00-\u9fff]")
API = "/api/v1/library"


def _staff(site):
    editor, reviewer, admin = make_user("editor"), make_user("reviewer"), make_user("siteadmin")
    grant(editor, site, SiteRole.EDITOR)
    grant(reviewer, site, SiteRole.REVIEWER)
    grant(admin, site, SiteRole.SITE_ADMIN)
    return {"site": site, "editor": editor, "reviewer": reviewer, "admin": admin}


@pytest.fixture
def world():
    """A province portal (the source, and an issuer of mandates), a city portal and a
    county portal below it, each with its staff; one item of the province in the library."""
    tree = make_province_tree()
    sites = {"province": _staff(tree.province_site), "city": _staff(tree.city_site),
             "county": _staff(make_online_site(tree.county))}
    province = sites["province"]
    source = (province["site"], province["editor"], province["reviewer"])
    sites["page"], sites["resource"] = published_article(source, title="关于做好全省冬季安全生产工作的通知",
                                                         body_text="各地要压实责任")
    sites["source"] = source
    return sites


def _key(staff, user=None, name="OA"):
    return issue_site_api_token(acting_user=staff["admin"], user=user or staff["editor"], site=staff["site"],
                                name=name)[1]


def _client(key=None) -> Client:
    # CSRF checks on, as in production: token calls need no CSRF token.
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    return Client(HTTP_HOST=CONSOLE, enforce_csrf_checks=True, **headers)


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def _assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert HAN.search(body["error"]), body
    if code:
        assert body["code"] == code, body
    return body


def _repost_body(world, staff, **overrides):
    return {"resources": [world["resource"].pk], "column": column_id(staff["site"], "zwyw"), "mode": "reference",
            **overrides}


# -- public reads ----------------------------------------------------------------------
def test_list_and_detail_of_live_items_without_a_token(world):
    city = world["city"]
    _page, city_item = published_article((city["site"], city["editor"], city["reviewer"]), title="市政府新闻")
    client = _client()
    listed = client.get(f"{API}/resources/")
    assert listed.status_code == 200, listed.content
    ids = [item["id"] for item in listed.json()["results"]]
    assert ids.index(city_item.pk) < ids.index(world["resource"].pk), "newest first"

    only_city = client.get(f"{API}/resources/", {"site": city["site"].short_code}).json()
    assert [item["id"] for item in only_city["results"]] == [city_item.pk] and only_city["count"] == 1
    item = only_city["results"][0]
    assert item["site"] == {"code": city["site"].short_code, "name": city["site"].name}
    assert item["content_type"] == "article" and item["title"] == "市政府新闻" and item["url"] == city_item.url

    today = timezone.localdate()
    in_range = client.get(f"{API}/resources/", {"site": city["site"].short_code, "content_type": "article",
                                                "date_from": today.isoformat(), "date_to": today.isoformat()})
    assert in_range.json()["count"] == 1
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert client.get(f"{API}/resources/", {"site": city["site"].short_code, "date_to": yesterday}) \
        .json()["count"] == 0
    assert client.get(f"{API}/resources/", {"site": city["site"].short_code, "content_type": "policy"}) \
        .json()["count"] == 0
    assert client.get(f"{API}/resources/", {"site": city["site"].short_code, "topic": "nosuchtopic"}) \
        .json()["count"] == 0
    paged = client.get(f"{API}/resources/", {"limit": 1}).json()
    assert len(paged["results"]) == 1 and paged["next"] and paged["count"] >= 2

    detail = client.get(f"{API}/resources/{world['resource'].pk}/")
    assert detail.status_code == 200, detail.content
    document = detail.json()
    assert document["url"] == world["resource"].url and document["schema_version"] == 1
    assert document["metadata"]["title"] == "关于做好全省冬季安全生产工作的通知"
    assert "各地要压实责任" in document["metadata"]["body"]
    assert document["metadata"]["origin"]["site_code"] == world["province"]["site"].short_code
    # Nothing internal: no schema issues, no plain text, no users.
    assert set(document) == {"id", "title", "content_type", "content_type_display", "site", "url", "pub_date",
                             "topic_code", "genre_code", "version", "updated_at", "schema_version", "metadata"}


def test_bad_filters_are_400_with_chinese_field_messages(world):
    body = _assert_error(_client().get(f"{API}/resources/", {"content_type": "video", "date_from": "yesterday"}),
                         400, "invalid")
    assert set(body["fields"]) == {"content_type", "date_from"}
    assert all(HAN.search(message) for messages in body["fields"].values() for message in messages)
    body = _assert_error(_client().get(f"{API}/resources/", {"date_from": "2026-02-02", "date_to": "2026-02-01"}),
                         400)
    assert "date_to" in body["fields"]


def test_withdrawn_and_schema_invalid_items_are_not_served(world):
    invalid = Resource.objects.get(pk=world["resource"].pk)
    _page, other = published_article(world["source"], title="第二条新闻")
    Resource.objects.filter(pk=other.pk).update(schema_issues=[{"path": "title", "message": "标题缺失"}])
    _assert_error(_client().get(f"{API}/resources/{other.pk}/"), 404, "not_found")

    withdraw(world["source"], world["page"])
    assert Resource.objects.get(pk=invalid.pk).status == "withdrawn"
    _assert_error(_client().get(f"{API}/resources/{invalid.pk}/"), 404, "not_found")
    listed = _client().get(f"{API}/resources/", {"site": world["province"]["site"].short_code}).json()
    assert listed["count"] == 0
    _assert_error(_client().get(f"{API}/resources/999999999/"), 404, "not_found")


# -- reposts with a site's token -------------------------------------------------------
def test_a_sites_token_reposts_into_its_site_as_its_user(world):
    city = world["city"]
    client = _client(_key(city))
    response = _post(client, f"{API}/sites/{city['site'].short_code}/reposts/", _repost_body(world, city))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["refusals"] == [] and len(body["reposts"]) == 1
    record = Repost.objects.get(target_site=city["site"], resource=world["resource"])
    assert body["reposts"][0]["id"] == record.pk and body["reposts"][0]["status"] == "in_review"
    assert record.created_by == city["editor"] and record.mode == "reference" and record.status == RepostStatus.IN_REVIEW
    assert "created_by" not in body["reposts"][0]
    assert SiteApiToken.objects.get(site=city["site"]).last_used_at is not None

    again = _post(client, f"{API}/sites/{city['site'].short_code}/reposts/", _repost_body(world, city))
    _assert_error(again, 409, "conflict")
    assert Repost.objects.filter(target_site=city["site"]).count() == 1


def test_a_token_of_one_site_cannot_repost_into_another(world):
    city, county = world["city"], world["county"]
    client = _client(_key(city))
    response = _post(client, f"{API}/sites/{county['site'].short_code}/reposts/", _repost_body(world, county))
    body = _assert_error(response, 403, "permission_denied")
    assert city["site"].name in body["error"]
    assert not Repost.objects.filter(target_site=county["site"]).exists()


def test_missing_unknown_or_revoked_tokens_are_401(world):
    city = world["city"]
    path = f"{API}/sites/{city['site'].short_code}/reposts/"
    _assert_error(_post(_client(), path, _repost_body(world, city)), 401, "not_authenticated")
    _assert_error(_post(_client("jys_nosuchkey"), path, _repost_body(world, city)), 401, "authentication_failed")
    key = _key(city)
    revoke_site_api_token(SiteApiToken.objects.get(key_hash=hash_key(key)), acting_user=city["admin"])
    _assert_error(_post(_client(key), path, _repost_body(world, city)), 401, "authentication_failed")
    assert not Repost.objects.filter(target_site=city["site"]).exists()


def test_bad_bodies_and_service_refusals_are_400_with_chinese_messages(world):
    city = world["city"]
    client = _client(_key(city))
    path = f"{API}/sites/{city['site'].short_code}/reposts/"
    body = _assert_error(_post(client, path, _repost_body(world, city, mode="mirror")), 400, "invalid")
    assert list(body["fields"]) == ["mode"] and HAN.search(body["fields"]["mode"][0])
    body = _assert_error(_post(client, path, {"mode": "copy"}), 400, "invalid")
    assert {"resources", "column"} <= set(body["fields"])
    body = _assert_error(_post(client, path, _repost_body(world, city, resources=[999999999])), 400)
    assert "resources" in body["fields"]
    # The service's refusal (no such column), in its own words.
    body = _assert_error(_post(client, path, _repost_body(world, city, column=999999999)), 400, "invalid")
    assert "999999999" in body["error"]
    # A token of a reviewer (not an editor): the service refuses.
    reviewer_client = _client(_key(city, user=city["reviewer"]))
    _assert_error(_post(reviewer_client, path, _repost_body(world, city)), 400, "invalid")
    _assert_error(client.post(path, "{not json", content_type="application/json"), 400, "parse_error")
    assert not Repost.objects.filter(target_site=city["site"]).exists()


def test_bulk_repost_reports_each_refusal(world):
    city = world["city"]
    _page, second = published_article(world["source"], title="第二条新闻")
    client = _client(_key(city))
    path = f"{API}/sites/{city['site'].short_code}/reposts/"
    assert _post(client, path, _repost_body(world, city)).status_code == 201
    response = _post(client, path, _repost_body(world, city, resources=[world["resource"].pk, second.pk]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert [item["resource"] for item in body["reposts"]] == [second.pk]
    assert [(item["resource"], item["code"]) for item in body["refusals"]] == [(world["resource"].pk, "conflict")]
    assert HAN.search(body["refusals"][0]["error"])


# -- mandates --------------------------------------------------------------------------
def test_a_portal_mandates_through_the_api_and_reads_the_compliance(world):
    province, city, county = world["province"], world["city"], world["county"]
    client = _client(_key(province))
    path = f"{API}/sites/{province['site'].short_code}/mandates/"
    response = _post(client, path, {"resource": world["resource"].pk, "column_type": "publishing",
                                    "targets": [city["site"].short_code, county["site"].short_code]})
    assert response.status_code == 201, response.content
    created = response.json()
    mandate = Mandate.objects.get(pk=created["id"])
    assert mandate.created_by == province["editor"] and mandate.mode == "reference"
    assert datetime.timedelta(hours=11, minutes=59) < mandate.deadline - timezone.now() <= datetime.timedelta(hours=12)
    assert {row["site"]["code"]: row["state"] for row in created["targets"]} == {
        city["site"].short_code: "pending", county["site"].short_code: "pending"}

    # The city reposts it with its own token: the mandate counts it.
    city_client = _client(_key(city))
    assert _post(city_client, f"{API}/sites/{city['site'].short_code}/reposts/",
                 _repost_body(world, city)).status_code == 201
    compliance = client.get(f"{path}{mandate.pk}/")
    assert compliance.status_code == 200, compliance.content
    states = {row["site"]["code"]: row for row in compliance.json()["targets"]}
    assert states[city["site"].short_code]["state"] == "in_review"
    assert HAN.search(states[city["site"].short_code]["state_display"])
    assert states[county["site"].short_code]["state"] == "pending"
    assert compliance.json()["summary"]["in_review"] == 1 and compliance.json()["summary"]["pending"] == 1

    # The city's token cannot read the province's mandate, by its own path or the province's.
    _assert_error(city_client.get(f"{API}/sites/{city['site'].short_code}/mandates/{mandate.pk}/"), 403)
    _assert_error(city_client.get(f"{path}{mandate.pk}/"), 403)
    _assert_error(client.get(f"{path}999999999/"), 404, "not_found")


def test_a_mandate_refused_by_the_service_writes_nothing(world):
    province, city = world["province"], world["city"]
    elsewhere = make_online_site()  # a portal of another province
    client = _client(_key(province))
    path = f"{API}/sites/{province['site'].short_code}/mandates/"
    before = Mandate.objects.count()
    body = _assert_error(_post(client, path, {"resource": world["resource"].pk, "column_type": "publishing",
                                              "targets": [elsewhere.short_code]}), 400, "invalid")
    assert elsewhere.name in body["error"]
    body = _assert_error(_post(client, path, {"resource": world["resource"].pk, "column_type": "publishing",
                                              "targets": [city["site"].short_code], "mode": "mirror"}), 400)
    assert list(body["fields"]) == ["mode"]
    body = _assert_error(_post(client, path, {"resource": world["resource"].pk, "column_type": "publishing",
                                              "targets": [city["site"].short_code, "nosuchsite"]}), 400)
    assert body["fields"] == {"targets": ["没有网站简码为“nosuchsite”的网站"]}
    # The city's token cannot mandate for the province.
    _assert_error(_post(_client(_key(city)), path, {"resource": world["resource"].pk, "column_type": "publishing",
                                                    "targets": [city["site"].short_code]}), 403)
    assert Mandate.objects.count() == before
    assert not MandateTarget.objects.filter(site=elsewhere).exists()


# -- subscriptions ---------------------------------------------------------------------
def test_a_sites_token_subscribes_a_column_and_ends_the_subscription(world):
    province, city, county = world["province"], world["city"], world["county"]
    client = _client(_key(city))
    path = f"{API}/sites/{city['site'].short_code}/subscriptions/"
    body = {"column": column_id(city["site"], "zwyw"), "mode": "link", "source_site": province["site"].short_code,
            "source_column": world["resource"].metadata["column"]["id"]}
    response = _post(client, path, body)
    assert response.status_code == 201, response.content
    subscription = Subscription.objects.get(pk=response.json()["id"])
    assert subscription.target_site == city["site"] and subscription.created_by == city["editor"]
    assert response.json()["source_site"]["code"] == province["site"].short_code
    assert [item["id"] for item in client.get(path).json()] == [subscription.pk]
    _assert_error(_post(client, path, body), 400, "invalid")  # already subscribed: the service says so

    # Another site's token may neither delete it nor subscribe for the city.
    county_client = _client(_key(county))
    _assert_error(county_client.delete(f"{API}/sites/{county['site'].short_code}/subscriptions/{subscription.pk}/"),
                  403)
    _assert_error(_post(county_client, path, body), 403)
    assert Subscription.objects.filter(target_site=city["site"]).count() == 1

    assert client.delete(f"{path}{subscription.pk}/").status_code == 204
    subscription.refresh_from_db()
    assert subscription.active is False
    _assert_error(client.delete(f"{path}{subscription.pk}/"), 404, "not_found")


# -- tokens and the document -----------------------------------------------------------
def test_only_the_sites_administrator_or_ops_issue_tokens_and_only_the_hash_is_kept(world):
    city = world["city"]
    with pytest.raises(PermissionDenied):
        issue_site_api_token(acting_user=city["editor"], user=city["editor"], site=city["site"], name="OA")
    with pytest.raises(ValidationError):  # a user of another site
        issue_site_api_token(acting_user=city["admin"], user=world["county"]["editor"], site=city["site"],
                             name="OA")
    token, key = issue_site_api_token(acting_user=city["admin"], user=city["editor"], site=city["site"], name="OA")
    assert key.startswith("jys_") and token.key_hash == hash_key(key) and key not in token.key_hash


def test_openapi_document_lists_the_library_endpoints_and_validates(world):
    response = _client().get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    from drf_spectacular.validation import validate_schema

    validate_schema(document)
    paths = document["paths"]
    for path, method in (("/api/v1/library/resources/", "get"), ("/api/v1/library/resources/{resource_id}/", "get"),
                         ("/api/v1/library/sites/{code}/reposts/", "post"),
                         ("/api/v1/library/sites/{code}/subscriptions/", "post"),
                         ("/api/v1/library/sites/{code}/subscriptions/{subscription_id}/", "delete"),
                         ("/api/v1/library/sites/{code}/mandates/", "post"),
                         ("/api/v1/library/sites/{code}/mandates/{mandate_id}/", "get")):
        operation = paths[path][method]
        assert operation["tags"][0].startswith("library"), path
        assert operation["description"] and operation["summary"], path
    assert "security" not in paths["/api/v1/library/resources/"]["get"]
    assert paths["/api/v1/library/sites/{code}/reposts/"]["post"]["security"] == [{"siteToken": []}]
    assert "siteToken" in document["components"]["securitySchemes"]
    assert "/api/v1/lifecycle/requests/" in paths  # one document for the whole API


def test_issue_site_api_token_command_prints_a_key_that_works(world):
    import io

    from django.core.management import call_command

    city = world["city"]
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_site_api_token", "--site", city["site"].short_code, "--user", city["editor"].username,
                 "--name", "OA", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert HAN.search(err.getvalue())
    response = _client(key).get(f"{API}/sites/{city['site'].short_code}/subscriptions/")
    assert response.status_code == 200 and response.json() == []
