from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestdriveConfig(AppConfig):
    name = "testdrive"
    verbose_name = _("Test drives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Everything the test-drive app brings to the core, registered once here.
        from testdrive import demo, navigation, registrations, selectors  # noqa: F401

        registrations.register()
