from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealestateConfig(AppConfig):
    name = "realestate"
    verbose_name = _("Real estate")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registrations with the core (approval kinds, plans, documents, seeders, menu) go here.
        pass
