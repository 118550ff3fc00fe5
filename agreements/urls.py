from django.urls import path

from . import views

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("new/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/parties/new/", views.party_edit, name="agreement_party_add"),
    path("<int:pk>/parties/<int:party_pk>/", views.party_edit, name="agreement_party_edit"),
    path(
        "<int:pk>/parties/<int:party_pk>/remove/", views.party_remove, name="agreement_party_remove"
    ),
    path("<int:pk>/clauses/new/", views.clause_edit, name="agreement_clause_add"),
    path("<int:pk>/clauses/<int:clause_pk>/", views.clause_edit, name="agreement_clause_edit"),
    path("<int:pk>/clauses/<int:clause_pk>/move/", views.clause_move, name="agreement_clause_move"),
    path(
        "<int:pk>/clauses/<int:clause_pk>/remove/",
        views.clause_remove,
        name="agreement_clause_remove",
    ),
    path("<int:pk>/delete/", views.agreement_delete, name="agreement_delete"),
    path(
        "<int:pk>/signatures/withdraw/",
        views.signatures_withdraw,
        name="agreement_signatures_withdraw",
    ),
    path("<int:pk>/negotiate/", views.negotiate, name="agreement_negotiate"),
    path("<int:pk>/sign/", views.sign, name="agreement_sign"),
    path("<int:pk>/amend/", views.amend, name="agreement_amend"),
    path("<int:pk>/terminate/", views.terminate, name="agreement_terminate"),
    path("<int:pk>/v<int:number>.pdf", views.download_pdf, name="agreement_pdf"),
    path("<int:pk>/v<int:number>/scan/", views.download_scan, name="agreement_scan"),
    path("<int:pk>/v<int:number>/scan/upload/", views.upload_scan, name="agreement_scan_upload"),
]
