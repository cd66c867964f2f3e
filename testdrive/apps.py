from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestdriveConfig(AppConfig):
    name = "testdrive"
    verbose_name = _("Test drives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registrations with the core (approval kinds, plans, documents, seeders, menu) go here.
        pass
