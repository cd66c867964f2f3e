"""The delivery app's writes: vehicle deliveries, owner care, repair tickets."""

from delivery.services.care import care_call_record, care_hook, care_plan_start, referral_record
from delivery.services.deliveries import (
    delivery_arrive,
    delivery_cancel,
    delivery_complete,
    delivery_hand_over,
    delivery_open,
    delivery_prepare,
    delivery_reschedule,
    delivery_schedule,
)
from delivery.services.repairs import (
    repair_collect,
    repair_consent,
    repair_finding_record,
    repair_intake,
    repair_make_ready,
    repair_quote_record,
    repair_receive_back,
    repair_send_to_vendor,
    repair_start_warranty,
    repairs_escalate,
)

__all__ = [
    "care_call_record",
    "care_hook",
    "care_plan_start",
    "delivery_arrive",
    "delivery_cancel",
    "delivery_complete",
    "delivery_hand_over",
    "delivery_open",
    "delivery_prepare",
    "delivery_reschedule",
    "delivery_schedule",
    "referral_record",
    "repair_collect",
    "repair_consent",
    "repair_finding_record",
    "repair_intake",
    "repair_make_ready",
    "repair_quote_record",
    "repair_receive_back",
    "repair_send_to_vendor",
    "repair_start_warranty",
    "repairs_escalate",
]
