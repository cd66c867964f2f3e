"""Serializers of the jewellery counter day's API: output of counters, trays, days, counts, sales,
attendance, grooming checks and trade customers; input of every write."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from showroom.api.transitions import StateSerializerMixin
from showroom.models import Store
from warehouse.api.serializers import DEC, ScopedPK
from warehouse.models import (
    Attendance,
    Counter,
    CounterDay,
    CounterSale,
    GroomingCheck,
    Station,
    TradeCustomerRegistration,
    Tray,
    TrayCount,
)

PRICE = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def _user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def store_field(**kw):
    return ScopedPK(queryset=Store.objects.all(), store_path="pk", **kw)


def user_field(**kw):
    return serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True), **kw)


class CounterSerializer(serializers.ModelSerializer):
    tray_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Counter
        fields = ["id", "store", "name", "lunch_minimums", "tray_count"]


class TraySerializer(serializers.ModelSerializer):
    station_display = serializers.CharField(source="get_station_display", read_only=True)

    class Meta:
        model = Tray
        fields = ["id", "counter", "code", "category", "station", "station_display", "pieces", "weight"]


class TrayCountSerializer(serializers.ModelSerializer):
    tray_code = serializers.CharField(source="tray.code", read_only=True)
    matches = serializers.BooleanField(read_only=True)
    piece_difference = serializers.IntegerField(read_only=True)
    weight_difference = serializers.DecimalField(read_only=True, **DEC)

    class Meta:
        model = TrayCount
        fields = [
            "id",
            "tray",
            "tray_code",
            "kind",
            "pieces",
            "weight",
            "expected_pieces",
            "expected_weight",
            "matches",
            "piece_difference",
            "weight_difference",
            "sale",
            "counted_by",
            "counted_at",
        ]


class CounterDaySerializer(StateSerializerMixin, serializers.ModelSerializer):
    counter_name = serializers.CharField(source="counter.name", read_only=True)

    class Meta:
        model = CounterDay
        fields = [
            "id",
            "store",
            "counter",
            "counter_name",
            "date",
            "state",
            "state_display",
            "available_transitions",
            "opening_cause",
            "closing_cause",
            "opened_at",
            "closed_at",
        ]


class CounterDayDetailSerializer(CounterDaySerializer):
    trays = serializers.SerializerMethodField()

    class Meta(CounterDaySerializer.Meta):
        fields = [*CounterDaySerializer.Meta.fields, "safe_empty", "safe_closed", "trays"]

    def get_trays(self, obj) -> list[dict]:
        return TraySerializer(obj.counter.trays.filter(is_active=True).order_by("code"), many=True).data


class CounterSaleSerializer(serializers.ModelSerializer):
    tray_code = serializers.CharField(source="tray.code", read_only=True)
    sold_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CounterSale
        fields = [
            "id",
            "day",
            "tray",
            "tray_code",
            "pieces",
            "weight",
            "price",
            "special_requests",
            "customer",
            "sold_by",
            "sold_by_name",
            "sold_at",
            "confirmed",
        ]

    def get_sold_by_name(self, obj) -> str:
        return _user_name(obj.sold_by)


class AttendanceSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["id", "store", "user", "user_name", "date", "clocked_in_at", "late"]

    def get_user_name(self, obj) -> str:
        return _user_name(obj.user)


class GroomingCheckSerializer(serializers.ModelSerializer):
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = GroomingCheck
        fields = ["id", "store", "person", "person_name", "date", "score", "max_score", "run", "scored_by"]

    def get_person_name(self, obj) -> str:
        return _user_name(obj.person)


class TradeCustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = TradeCustomerRegistration
        fields = ["id", "store", "company", "contact", "mobile", "address", "licence_number", "created_at"]


# --- input ---------------------------------------------------------------------------------------------


class DayInput(serializers.Serializer):
    counter = ScopedPK(queryset=Counter.objects.filter(is_active=True), store_path="store_id")
    date = serializers.DateField(required=False, default=None)


class CountLine(serializers.Serializer):
    tray = ScopedPK(queryset=Tray.objects.all(), store_path="counter__store_id")
    pieces = serializers.IntegerField(min_value=0)
    weight = serializers.DecimalField(**DEC, min_value=0)


class CountsInput(serializers.Serializer):
    counts = CountLine(many=True)


class OpeningInput(CountsInput):
    safe_empty = serializers.BooleanField()
    safe_closed = serializers.BooleanField()
    checklist = serializers.ListField(child=serializers.IntegerField(), required=False, default=None, allow_null=True)


class ExplainInput(serializers.Serializer):
    cause = serializers.CharField(max_length=2000)
    phase = serializers.ChoiceField(choices=["opening", "closing"], default="opening")


class SaleInput(serializers.Serializer):
    tray = ScopedPK(queryset=Tray.objects.all(), store_path="counter__store_id")
    pieces = serializers.IntegerField(min_value=1)
    weight = serializers.DecimalField(**DEC)
    price = serializers.DecimalField(**PRICE)
    special_requests = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    customer = ScopedPK(
        queryset=TradeCustomerRegistration.objects.all(), store_path="store_id", required=False, allow_null=True
    )


class ConfirmInput(serializers.Serializer):
    pieces = serializers.IntegerField(min_value=0)
    weight = serializers.DecimalField(**DEC, required=False, allow_null=True, default=None)


class RosterLine(serializers.Serializer):
    user = user_field()
    station = serializers.ChoiceField(choices=Station.choices)


class RosterInput(serializers.Serializer):
    entries = RosterLine(many=True)


class RotationInput(serializers.Serializer):
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    away = user_field(many=True)


class ClockInInput(serializers.Serializer):
    store = store_field()


class GroomingInput(serializers.Serializer):
    store = store_field()
    person = user_field()
    passed_items = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    date = serializers.DateField(required=False, default=None)


class TradeCustomerInput(serializers.Serializer):
    store = store_field()
    company = serializers.CharField(max_length=120, allow_blank=True)
    contact = serializers.CharField(max_length=60, allow_blank=True)
    mobile = serializers.CharField(max_length=20, allow_blank=True)
    id_number = serializers.CharField(max_length=18, allow_blank=True)
    address = serializers.CharField(max_length=255, allow_blank=True)
    licence_number = serializers.CharField(max_length=30, allow_blank=True)
