from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealestateConfig(AppConfig):
    name = "realestate"
    verbose_name = _("Real estate")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Everything the real-estate app brings to the core, registered once here.
        from realestate import checklists, demo  # noqa: F401  (reference step, seeder)
        from realestate.registrations import register

        register()
