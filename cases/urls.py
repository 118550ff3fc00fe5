from django.urls import path, register_converter

from . import views, views_documents, views_privacy


class ReferenceConverter:
    """RIX-2026-0007. Anything else is not a case URL (404 before any query)."""

    regex = r"[A-Z]{3}-\d{4}-\d{4,6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "ref")

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("retention/", views_privacy.retention_list, name="case_retention"),
    path("<ref:reference>/", views.case_detail, name="case_detail"),
    path(
        "<ref:reference>/privacy/export/json/",
        views_privacy.subject_access_json,
        name="case_subject_access_json",
    ),
    path(
        "<ref:reference>/privacy/export/pdf/",
        views_privacy.subject_access_pdf,
        name="case_subject_access_pdf",
    ),
    path("<ref:reference>/privacy/erase/", views_privacy.erase, name="case_erase"),
    path("<ref:reference>/person/", views.person_edit, name="case_person"),
    path("<ref:reference>/exploitation/", views.exploitation_edit, name="case_exploitation"),
    path("<ref:reference>/needs/new/", views.need_add, name="case_need_add"),
    path("<ref:reference>/needs/<int:pk>/", views.need_edit, name="case_need_edit"),
    path("<ref:reference>/needs/<int:pk>/status/", views.need_status, name="case_need_status"),
    path("<ref:reference>/consents/new/", views.consent_add, name="case_consent_add"),
    path(
        "<ref:reference>/consents/<int:pk>/withdraw/",
        views.consent_withdraw,
        name="case_consent_withdraw",
    ),
    path(
        "<ref:reference>/identification/", views.identification_change, name="case_identification"
    ),
    path("<ref:reference>/workers/new/", views.assign, name="case_assign"),
    path("<ref:reference>/workers/<int:pk>/end/", views.assignment_end, name="case_assignment_end"),
    path("<ref:reference>/notes/new/", views.note_add, name="case_note_add"),
    path("<ref:reference>/services/", views.find_services, name="case_find_services"),
    path(
        "<ref:reference>/needs/<int:pk>/service/", views.choose_service, name="case_choose_service"
    ),
    path("<ref:reference>/close/", views.close, name="case_close"),
    path("<ref:reference>/reopen/", views.reopen, name="case_reopen"),
    path("<ref:reference>/documents/", views_documents.document_list, name="case_documents"),
    path("<ref:reference>/documents/new/", views_documents.document_add, name="case_document_add"),
    path(
        "<ref:reference>/documents/<int:pk>/download/",
        views_documents.document_download,
        name="case_document_download",
    ),
    path(
        "<ref:reference>/documents/<int:pk>/delete/",
        views_documents.document_delete,
        name="case_document_delete",
    ),
]
