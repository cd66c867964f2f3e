from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Leads")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registrations with the core (approval kinds, plans, documents, seeders, menu) go here.
        pass
