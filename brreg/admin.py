from django.contrib import admin

from brreg.models import (
    CustomerEnrichment,
    CustomerFieldChange,
    CustomerOverride,
    FeedCursor,
    RegisterEntry,
)


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    list_display = ["orgnr", "name", "kind", "status", "bankrupt", "fetched_at", "verified_at"]
    list_filter = ["status", "kind", "bankrupt", "under_liquidation"]
    search_fields = ["orgnr", "name"]
    readonly_fields = ["fetched_at", "verified_at"]


@admin.register(FeedCursor)
class FeedCursorAdmin(admin.ModelAdmin):
    list_display = ["feed", "last_update_id", "last_run_at", "last_error"]


class TenantAdmin(admin.ModelAdmin):
    """Support view across organisations: the default manager insists on a scope."""

    def get_queryset(self, request):
        return self.model.objects.unscoped()


@admin.register(CustomerEnrichment)
class CustomerEnrichmentAdmin(TenantAdmin):
    list_display = ["customer", "organization", "match", "orgnr", "bankrupt", "last_enriched_at"]
    list_filter = ["match", "bankrupt", "deleted", "removed"]
    search_fields = ["orgnr"]
    raw_id_fields = ["customer", "entry"]


@admin.register(CustomerFieldChange)
class CustomerFieldChangeAdmin(TenantAdmin):
    list_display = ["customer", "field", "old_value", "new_value", "source", "created_at"]
    list_filter = ["source", "field"]
    raw_id_fields = ["customer"]


@admin.register(CustomerOverride)
class CustomerOverrideAdmin(TenantAdmin):
    list_display = ["customer", "field", "value", "set_by", "set_at"]
    raw_id_fields = ["customer"]
