"""The one taxonomy of needs and services (DOMAIN.md), shared by cases and the service map,
so that a victim's needs can be matched to services and gaps found."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedCategory(models.TextChoices):
    SAFE_ACCOMMODATION = "safe_accommodation", _("Safe accommodation")
    MATERIAL_SUPPORT = "material_support", _("Material and financial support")
    MEDICAL_CARE = "medical_care", _("Medical care")
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("Psychological and psychosocial support")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance and case management")
    LEGAL = "legal", _("Legal counselling and representation")
    INTERPRETATION = "interpretation", _("Interpretation and translation")
    AUTHORITIES_DOCUMENTS = (
        "authorities_documents",
        _("Help with authorities and documents (residence, identity papers)"),
    )
    EDUCATION = "education", _("Education and vocational training")
    EMPLOYMENT = "employment", _("Employment support")
    FAMILY_CHILD = "family_child", _("Family and child support (incl. guardian for children)")
    SAFETY = "safety", _("Safety and security (risk assessment, protection)")
    RETURN_REINTEGRATION = "return_reintegration", _("Transport, safe return and reintegration")
