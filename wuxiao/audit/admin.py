from django.contrib import admin

from wuxiao.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "target_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_name", "target_repr", "action"]

    # The log is read-only everywhere, the Django admin included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
