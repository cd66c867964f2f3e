from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from showroom.models.stores import Store
from showroom.validators import validate_cn_mobile, validate_resident_id


class Customer(models.Model):
    class Gender(models.TextChoices):
        UNKNOWN = "", _("Not given")
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Source(models.TextChoices):
        WALK_IN = "walk_in", _("Walk-in")
        PHONE = "phone", _("Phone call")
        REFERRAL = "referral", _("Referral")
        ONLINE = "online", _("Online")
        EVENT = "event", _("Event")
        EXISTING = "existing", _("Existing customer")
        OTHER = "other", _("Other")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="customers", verbose_name=_("store"))
    name = models.CharField(_("name"), max_length=80)
    mobile = models.CharField(_("mobile"), max_length=20, validators=[validate_cn_mobile])
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True, validators=[validate_resident_id])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True, default="")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.WALK_IN)
    consent_given = models.BooleanField(_("consent to store personal data"), default=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["store", "-created_at"]),
            models.Index(fields=["store", "mobile"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_given=True, consent_at__isnull=False),
                name="customer_consent_recorded",
            )
        ]

    def __str__(self) -> str:
        return self.name
