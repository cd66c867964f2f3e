from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reference_data_after_migrate(sender, **kwargs):
    # Permissions exist only after post_migrate created them; run again so groups get theirs.
    if sender.name == "showroom":
        from showroom.reference import ensure_reference_data

        ensure_reference_data()


class ShowroomConfig(AppConfig):
    name = "showroom"
    verbose_name = _("Showroom core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from showroom import checks, demo  # noqa: F401  (system checks, the core's demo seeder)
        from showroom.celery import ensure_broker_folders
        from showroom.registry import ScheduledJob, register_scheduled_job
        from showroom.selectors import checklists, documents, followups  # noqa: F401  (timeline sources)
        from showroom.services import checklists as checklist_services  # noqa: F401  (transition guards)
        from showroom.services.rollups import ROLLUP_JOB, dashboard_rollup_job

        register_scheduled_job(
            ScheduledJob(
                code=ROLLUP_JOB,
                label=_("Dashboard figures of the closed days rolled up"),
                func=dashboard_rollup_job,
                at="01:30",
            )
        )
        ensure_broker_folders()
        post_migrate.connect(_reference_data_after_migrate, dispatch_uid="showroom_reference_data")
