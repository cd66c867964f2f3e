from showroom.models.approvals import ApprovalDecision, ApprovalRequest, AuthorityRule
from showroom.models.checklists import ChecklistAnswer, ChecklistItem, ChecklistRun, ChecklistTemplate
from showroom.models.customers import Customer
from showroom.models.documents import Document, DocumentSequence
from showroom.models.followups import FollowUp, Notification
from showroom.models.jobs import JobRun
from showroom.models.stores import Membership, Role, Store

__all__ = [
    "ApprovalDecision",
    "ApprovalRequest",
    "AuthorityRule",
    "ChecklistAnswer",
    "ChecklistItem",
    "ChecklistRun",
    "ChecklistTemplate",
    "Customer",
    "Document",
    "DocumentSequence",
    "FollowUp",
    "JobRun",
    "Membership",
    "Notification",
    "Role",
    "Store",
]
