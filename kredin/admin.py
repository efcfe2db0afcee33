"""Admin for organisations and people. The audit log is read-only here as everywhere."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from kredin.models import (
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    Organization,
    User,
)


class TenantAdmin(admin.ModelAdmin):
    """Support view across organisations: the default manager insists on a scope."""

    def get_queryset(self, request):
        return self.model.objects.unscoped()


class _UserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class _UserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = _UserChangeForm
    add_form = _UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "last_login")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name",)}),
        (
            _("Tilganger"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "organization_number", "slug", "created_at")
    search_fields = ("name", "organization_number", "slug")
    readonly_fields = ("created_at",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "may_sign_legal_documents", "created_at")
    list_filter = ("role", "may_sign_legal_documents")
    search_fields = ("user__email", "organization__name")
    raw_id_fields = ("user", "organization")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # The token is the credential in the e-mail: never shown.
    list_display = ("email", "organization", "role", "created_at", "expires_at", "accepted_at")
    search_fields = ("email", "organization__name")
    exclude = ("token",)
    raw_id_fields = ("organization", "invited_by")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "organization",
        "actor_label",
        "action",
        "object_label",
        "ip_address",
    )
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_label", "organization__name")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(TenantAdmin):
    """Support's view of what was told to whom; a row left "sending" is looked at here,
    never resent by Kredin itself."""

    list_display = ("created_at", "organization", "user", "kind", "email_state", "read_at")
    list_filter = ("kind", "email_state")
    search_fields = ("user__email", "organization__name", "key")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
