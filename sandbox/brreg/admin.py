from django.contrib import admin

from sandbox.brreg.models import RegisterFault, RegisterRequest, RegisterUnit, RegisterUpdate


@admin.register(RegisterUnit)
class RegisterUnitAdmin(admin.ModelAdmin):
    list_display = ["organisasjonsnummer", "kind", "state", "slettedato", "updated_at"]
    list_filter = ["kind", "state"]
    search_fields = ["organisasjonsnummer"]


@admin.register(RegisterUpdate)
class RegisterUpdateAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "organisasjonsnummer", "endringstype", "dato"]
    list_filter = ["kind", "endringstype"]


@admin.register(RegisterRequest)
class RegisterRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "method", "path", "status", "created_at"]
    list_filter = ["status"]


@admin.register(RegisterFault)
class RegisterFaultAdmin(admin.ModelAdmin):
    """Switch an outage on (active) to see enrichment fall back to pending_retry."""

    list_display = ["id", "active", "status", "created_at"]
