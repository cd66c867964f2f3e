from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("Deliveries and after-sales")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Everything the delivery app brings to the core, registered once here.
        from delivery import demo, navigation, registrations  # noqa: F401  (seeder, menu entries)
        from delivery.services.deliveries import order_ready_receiver
        from leads.models import Order
        from leads.signals import order_ready_for_delivery

        registrations.register()
        order_ready_for_delivery.connect(order_ready_receiver, sender=Order, dispatch_uid="delivery.order_ready")
