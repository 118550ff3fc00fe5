from django.urls import path

from . import views

urlpatterns = [
    path("", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("<slug:key>.<str:fmt>", views.export, name="report_export"),
]
