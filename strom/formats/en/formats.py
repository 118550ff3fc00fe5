# English for Europe: day before month, 24-hour clock (British formats, not American).
from django.conf.locale.en_GB.formats import *  # noqa: F403
