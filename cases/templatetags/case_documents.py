"""`{% case_documents case %}`: the Documents section of the case page.

The case must come from the view, which found it through strom.access.cases_for: whoever sees
the case page may see its documents."""

from django import template

register = template.Library()


@register.inclusion_tag("cases/_documents.html", takes_context=True)
def case_documents(context, case):
    return {
        "case": case,
        "documents": case.documents.select_related("uploaded_by"),
        "can_add_documents": not case.is_closed and case.anonymised_at is None,
        "can_delete_documents": not case.is_closed,
        "csrf_token": context.get("csrf_token"),
    }
