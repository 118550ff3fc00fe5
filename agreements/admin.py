from django.contrib import admin

from .models import ClauseTemplate


@admin.register(ClauseTemplate)
class ClauseTemplateAdmin(admin.ModelAdmin):
    list_display = ["language", "order", "key", "title"]
    list_filter = ["language"]
