"""The user name django-axes counts failed sign-ins under (AXES_USERNAME_CALLABLE)."""

from django.contrib.auth import get_user_model


def username(request, credentials=None):
    """The name typed at sign-in, as django-axes takes it (from the credentials, else from
    the form), cut to the longest user name an account can have. Axes stores it in a column
    of 255 characters: a longer one was a server error on PostgreSQL instead of a failed
    sign-in. No account has a longer name, so cutting it joins nothing that matters."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "POST", {}).get("username")
    if name is None:
        return None
    return str(name)[: get_user_model()._meta.get_field("username").max_length]
