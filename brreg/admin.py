from django.contrib import admin

from brreg.models import CustomerEnrichment, FeedCursor, RegisterEntry, RegisterSettings
from kredin.admin import TenantAdmin


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    list_display = ["orgnr", "name", "kind", "status", "bankrupt", "fetched_at", "verified_at"]
    list_filter = ["status", "kind", "bankrupt", "under_liquidation"]
    search_fields = ["orgnr", "name"]
    readonly_fields = ["fetched_at", "verified_at"]


@admin.register(FeedCursor)
class FeedCursorAdmin(admin.ModelAdmin):
    list_display = ["feed", "last_update_id", "last_run_at", "last_error"]


@admin.register(CustomerEnrichment)
class CustomerEnrichmentAdmin(TenantAdmin):
    list_display = ["customer", "organization", "match", "orgnr", "bankrupt", "last_enriched_at"]
    list_filter = ["match", "bankrupt", "deleted", "removed"]
    search_fields = ["orgnr"]
    raw_id_fields = ["customer", "entry"]


@admin.register(RegisterSettings)
class RegisterSettingsAdmin(TenantAdmin):
    list_display = ["organization", "mode", "fetch_addresses", "update_on_exact_match"]
