"""Reference data of the leads app: the general list of reasons a lead is lost (战败原因), which
every store sees beside its own. Registered as a reference step when the app is ready, so
``showroom.reference.ensure_reference_data()`` creates it with the core's (the core imports no
app). Idempotent: a reason an administrator switched off stays off."""

from showroom.reference import reference_step

LOST_REASONS = [
    "价格因素：竞品报价更低",
    "竞品配置或性能更符合需求",
    "品牌偏好",
    "提车周期太长",
    "置换或贷款方案不满意",
    "销售服务体验不满意",
    "家人或朋友意见",
    "暂缓购车或预算不足",
    "其他原因",
]


@reference_step("lost_reasons")
def ensure_lost_reasons() -> None:
    from leads.models import LostReason

    existing = set(LostReason.objects.filter(store__isnull=True).values_list("text", flat=True))
    LostReason.objects.bulk_create([LostReason(store=None, text=text) for text in LOST_REASONS if text not in existing])
