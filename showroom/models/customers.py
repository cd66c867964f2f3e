from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_customers",
        verbose_name=pgettext_lazy("customer owner", "owner"),
    )
    owned_until = models.DateTimeField(_("protected until"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["store", "-created_at"]),
            # The lapse job's scan: owned customers whose protection ran out.
            models.Index(
                fields=["store", "owned_until"], condition=models.Q(owner__isnull=False), name="customer_owned"
            ),
        ]
        constraints = [
            # One customer per person: a mobile number (E.164) names one customer in a store.
            models.UniqueConstraint(fields=["store", "mobile"], name="customer_one_per_mobile"),
            models.CheckConstraint(
                condition=models.Q(consent_given=True, consent_at__isnull=False),
                name="customer_consent_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OwnershipEvent(models.Model):
    """One change of who owns a customer: the record that settles two consultants claiming one
    buyer. Renewals by contact only move ``Customer.owned_until`` and are not events."""

    class Kind(models.TextChoices):
        CLAIMED = "claimed", _("Registered and owned")
        TRANSFERRED = "transferred", _("Transferred on approval")
        REASSIGNED = "reassigned", _("Reassigned by a manager")
        LAPSED = "lapsed", _("Protection lapsed: back to the pool")
        STAND_IN = "stand_in", _("Served by a stand-in")
        MERGED = "merged", _("Merged with a duplicate")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="ownership_events", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("ownership event")
        verbose_name_plural = _("ownership events")
        indexes = [models.Index(fields=["customer", "-at"])]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.get_kind_display()}"


class CustomerMerge(models.Model):
    """A duplicate merged into a surviving customer: what the duplicate was and what moved, so the
    merge can be explained later."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    survivor = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="merges", verbose_name=_("surviving customer")
    )
    duplicate_id = models.PositiveBigIntegerField(_("merged customer's number"))
    duplicate_data = models.JSONField(_("merged customer as it was"), default=dict)
    moved = models.JSONField(_("records moved"), default=dict)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("customer merge")
        verbose_name_plural = _("customer merges")

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.survivor_id}"


class DuplicateDismissal(models.Model):
    """A manager's word that two customers found alike are two people; the pair leaves the list."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_dismissal_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="duplicate_dismissal_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


# Customer identity's approval kinds and lapse job register when the models load, so every
# process (web, worker, beat, manage.py) knows them.
from showroom import customer_reference  # noqa: E402,F401
