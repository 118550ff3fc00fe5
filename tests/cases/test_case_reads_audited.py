"""Every page that shows a case's content records who saw it (issue 13, finding 7): one `view`
audit event per page, with the case as its object and the section in `detail`, never a value.
The routes are read from the URL resolver, so that a new case page cannot be forgotten."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases import actions, documents
from cases.models import Consent
from strom.audit import AuditAction, AuditEvent
from tests.strom.test_uploads import PDF

pytestmark = pytest.mark.django_db

FILE_READS = {AuditAction.EXPORT, AuditAction.DOWNLOAD}


def case_routes():
    """(url name, route) of every URL pattern of cases/urls.py that names a case by its
    reference code, as the site's URL resolver serves them."""
    found = []

    def walk(patterns, prefix, in_cases):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = in_cases or getattr(pattern.urlconf_module, "__name__", "") == "cases.urls"
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and in_cases:
                route = prefix + str(pattern.pattern)
                if "<ref:reference>" in route:
                    found.append((pattern.name, route))

    walk(get_resolver().url_patterns, "", False)
    return sorted(found)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def full_case(demo, riga_case):
    """A case with one of everything a case URL can name."""
    worker = demo.users["sw.riga"]
    consent = actions.record_consent(
        by=worker,
        case=riga_case,
        consent=Consent(
            recipient=demo.actors["riga-shelter"],
            items=["identity", "needs"],
            purpose="Shelter placement",
            given_how="signed",
            given_on=timezone.localdate(),
        ),
    )
    document = documents.upload_document(
        by=worker,
        case=riga_case,
        upload=SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf"),
        kind="identity",
        title="Passport",
    )
    objects = {
        "needs": riga_case.needs.first().pk,
        "consents": consent.pk,
        "workers": riga_case.assignments.get(is_primary=True).pk,
        "documents": document.pk,
    }
    return riga_case, objects


def url_of(name, route, case, objects):
    kwargs = {"reference": case.reference}
    if "<int:pk>" in route:
        # The object is named by the path segment in front of it: needs/<int:pk>/...
        segment = re.search(r"([a-z_]+)/<int:pk>", route).group(1)
        kwargs["pk"] = objects[segment]
    return reverse(name, kwargs=kwargs)


def reads_of(case):
    return list(
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .exclude(action__in=[AuditAction.CREATE, AuditAction.CHANGE, AuditAction.GRANT])
        .values_list("action", "detail", "username")
    )


def test_the_walk_finds_the_case_pages():
    names = {name for name, _route in case_routes()}
    assert {"case_detail", "case_person", "case_exploitation", "case_documents"} <= names
    assert {"case_need_edit", "case_consent_withdraw", "case_document_download"} <= names


@pytest.mark.parametrize(("name", "route"), case_routes())
def test_every_case_page_records_one_view_naming_its_section(
    demo, client_for, full_case, name, route
):
    case, objects = full_case
    client = client_for(demo.users["coord.riga"])
    url = url_of(name, route, case, objects)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client.get(url)
    assert response.status_code in (200, 405), (url, response.status_code)
    new = AuditEvent.objects.exclude(pk__in=before)
    if response.status_code == 405:
        # POST only: nothing shown, nothing recorded.
        assert not new.filter(action=AuditAction.VIEW).exists()
        return
    events = list(new.filter(object_type="cases.case", object_id=str(case.pk)))
    if response.get("Content-Disposition", "").startswith("attachment"):
        # A file: its own read event (an export or a download), not a page view.
        assert [e.action for e in events] == [e.action for e in events if e.action in FILE_READS]
        assert len(events) == 1, (url, events)
        return
    views = [e for e in events if e.action == AuditAction.VIEW]
    assert len(views) == 1, (url, [(e.action, e.detail) for e in events])
    view = views[0]
    assert view.user == demo.users["coord.riga"]
    assert view.object_label == case.reference
    assert view.detail
    # The section, never a value of the case.
    for value in ("Lan", "Nguyen", "Shelter placement", "Passport", "VN"):
        assert value not in view.detail


@pytest.mark.parametrize(("name", "route"), case_routes())
@pytest.mark.parametrize("username", ["sw.jelgava", "coord.jelgava", "admin.riga", "national.lv"])
def test_a_user_who_may_not_see_the_case_gets_404_and_no_view_is_recorded(
    demo, client_for, full_case, name, route, username
):
    case, objects = full_case
    response = client_for(demo.users[username]).get(url_of(name, route, case, objects))
    assert response.status_code in (404, 405)
    assert not [r for r in reads_of(case) if r[2] == username]


def test_the_person_page_records_the_view_of_the_identifying_fields(demo, client_for, riga_case):
    client_for(demo.users["sw.riga"]).get(reverse("case_person", args=[riga_case.reference]))
    assert reads_of(riga_case) == [(AuditAction.VIEW, "person", "sw.riga")]


def test_a_refused_form_shows_the_values_again_and_records_a_view(demo, client_for, riga_case):
    client = client_for(demo.users["sw.riga"])
    response = client.post(
        reverse("case_person", args=[riga_case.reference]),
        {"given_names": "Lan", "family_name": "Nguyen", "age_years": "200", "gender": "woman"},
    )
    assert response.status_code == 200 and "Nguyen" in response.content.decode()
    assert reads_of(riga_case) == [(AuditAction.VIEW, "person", "sw.riga")]


def test_the_needs_partial_after_a_status_change_records_a_view(demo, client_for, riga_case):
    need = riga_case.needs.first()
    response = client_for(demo.users["coord.riga"]).post(
        reverse("case_need_status", args=[riga_case.reference, need.pk]),
        {"status": "met"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert (AuditAction.VIEW, "needs", "coord.riga") in reads_of(riga_case)
