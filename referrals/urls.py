from django.urls import path

from cases.urls import ReferenceConverter  # noqa: F401  (registers the "ref" converter)

from . import views

urlpatterns = [
    path("inbox/", views.inbox, name="referral_inbox"),
    path("case/<ref:reference>/", views.case_pathway, name="case_pathway"),
    path("case/<ref:reference>/start/", views.start_pathway, name="case_pathway_start"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/send/", views.referral_send, name="referral_send"),
    path("<int:pk>/hold/", views.referral_hold, name="referral_hold"),
    path("<int:pk>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
    path("<int:pk>/expire/", views.referral_expire, name="referral_expire"),
    path("<int:pk>/override/", views.referral_override, name="referral_override"),
    path("<int:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("<int:pk>/start/", views.referral_start, name="referral_start"),
    path("<int:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("<int:pk>/complete/", views.referral_complete, name="referral_complete"),
]
