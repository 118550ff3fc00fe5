from django.urls import path

from . import views, views_hsds

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("new/", views.service_create, name="service_create"),
    path("gaps/", views.gaps, name="service_gaps"),
    path("<int:pk>/", views.service_detail, name="service_detail"),
    path("<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("<int:pk>/capacity/", views.service_capacity, name="service_capacity"),
    path("hsds/export/", views_hsds.hsds_export, name="services_hsds_export"),
    path("hsds/import/", views_hsds.hsds_import, name="services_hsds_import"),
]
