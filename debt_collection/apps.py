from django.apps import AppConfig


class DebtCollectionConfig(AppConfig):
    # The design calls this app "collections"; a top-level package of that name would
    # shadow Python's standard library, so the import path differs and the label keeps it.
    name = "debt_collection"
    label = "collections"
    verbose_name = "Saker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from debt_collection import page_extensions
        from debt_collection.health import rules_health
        from kredin.health import health_details

        health_details["rules"] = rules_health
        page_extensions.register()
