"""Prevention work and the expert directory, included under /network/."""

from django.urls import path

from . import views_network as views

urlpatterns = [
    path("prevention/", views.prevention_list, name="prevention_list"),
    path("prevention/new/", views.prevention_create, name="prevention_create"),
    path("prevention/<int:pk>/edit/", views.prevention_edit, name="prevention_edit"),
    path("experts/", views.expert_directory, name="expert_directory"),
    path("experts/me/", views.expert_profile, name="expert_profile"),
]
