"""Recording who was shown a case (issue 13, finding 7): every page and partial that shows a
case's content, in cases/ or in another app (the referral pages), calls `viewed` once, after
the case was found in the user's scope (a 404 records nothing)."""

from strom.audit import AuditAction, record


def viewed(request, case, section=None):
    """Record that the user was shown this part of the case: one `view` event with the case
    as its object, so it is in the case's access log. `detail` names the section (by default
    the page's URL name without its `case_` prefix), never a value."""
    section = section or request.resolver_match.url_name.removeprefix("case_")
    record(AuditAction.VIEW, request=request, obj=case, detail=section)
