"""Referral pathway pages, included under /pathways/."""

from django.urls import path

from . import pathway_views as views

urlpatterns = [
    path("", views.pathway_list, name="pathway_list"),
    path("new/", views.pathway_create, name="pathway_create"),
    path("<int:pk>/", views.pathway_detail, name="pathway_detail"),
    path("<int:pk>/edit/", views.pathway_edit, name="pathway_edit"),
    path("<int:pk>/adopt/", views.pathway_adopt, name="pathway_adopt"),
    path("<int:pk>/steps/new/", views.step_add, name="pathway_step_add"),
    path("<int:pk>/steps/<int:step_pk>/edit/", views.step_edit, name="pathway_step_edit"),
    path("<int:pk>/steps/<int:step_pk>/move/", views.step_move, name="pathway_step_move"),
    path("<int:pk>/steps/<int:step_pk>/remove/", views.step_remove, name="pathway_step_remove"),
]
