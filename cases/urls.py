from django.urls import path, register_converter

from . import views


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
    path("<ref:reference>/", views.case_detail, name="case_detail"),
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
]
