from django.urls import path

from . import views

urlpatterns = [
    path("", views.training_list, name="training_list"),
    path("new/", views.training_create, name="training_create"),
    path("coverage/", views.training_coverage, name="training_coverage"),
    path("certificates/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("<int:pk>/", views.training_detail, name="training_detail"),
    path("<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("<int:pk>/register/", views.training_register, name="training_register"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/cancel/",
        views.training_cancel,
        name="training_cancel",
    ),
    path("<int:pk>/external/", views.training_external, name="training_external"),
    path("<int:pk>/staff/", views.training_add_staff, name="training_add_staff"),
    path("<int:pk>/attendance/", views.training_attendance, name="training_attendance"),
    path("<int:pk>/invite/", views.training_invite, name="training_invite"),
    path("<int:pk>/materials/", views.training_material, name="training_material"),
    path(
        "<int:pk>/materials/<int:material_pk>/",
        views.training_material_download,
        name="training_material_download",
    ),
    path("<int:pk>/event.ics", views.training_ics, name="training_ics"),
    path(
        "<int:pk>/certificates/<int:registration_pk>.pdf",
        views.certificate_pdf,
        name="training_certificate",
    ),
]
