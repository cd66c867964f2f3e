"""Personal-data access log: every reveal of a customer's full mobile or ID number, and every
export or erasure of a customer's data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from showroom.models.customers import Customer
from showroom.models.stores import Store


class PersonalDataAccess(models.Model):
    class Action(models.TextChoices):
        REVEAL = "reveal", _("full number shown")
        EXPORT = "export", _("data exported")
        ERASE = "erase", _("data erased")

    class Channel(models.TextChoices):
        PAGE = "page", _("page")
        API = "api", _("API")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    # Kept after an erasure: the customer row stays (anonymised), and customer_ref is the
    # pseudonym the audit trail reads from then on.
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("customer")
    )
    customer_ref = models.CharField(_("customer reference"), max_length=40)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    fields = models.CharField(_("fields"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [models.Index(fields=["customer", "-created_at"]), models.Index(fields=["store", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.customer_ref} {self.action} {self.created_at:%Y-%m-%d %H:%M}"
