from django.contrib import admin

from kredin.admin import TenantAdmin
from ledger.models import CustomerFieldChange, CustomerOverride


@admin.register(CustomerFieldChange)
class CustomerFieldChangeAdmin(TenantAdmin):
    list_display = ["customer", "field", "old_value", "new_value", "source", "created_at"]
    list_filter = ["source", "field"]
    raw_id_fields = ["customer"]


@admin.register(CustomerOverride)
class CustomerOverrideAdmin(TenantAdmin):
    list_display = ["customer", "field", "value", "set_by", "set_at"]
    raw_id_fields = ["customer"]
