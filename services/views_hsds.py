"""HSDS export and import pages (written by the HSDS work)."""

from django.http import Http404


def hsds_export(request):
    raise Http404


def hsds_import(request):
    raise Http404
