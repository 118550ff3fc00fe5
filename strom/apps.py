from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StromConfig(AppConfig):
    name = "strom"
    verbose_name = _("STROM core")

    def ready(self):
        from . import checks, signals  # noqa: F401  (register checks and auth signal handlers)
