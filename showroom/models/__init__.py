from showroom.models.approvals import ApprovalDecision, ApprovalRequest, AuthorityRule
from showroom.models.customers import Customer
from showroom.models.jobs import JobRun
from showroom.models.stores import Membership, Role, Store

__all__ = [
    "ApprovalDecision",
    "ApprovalRequest",
    "AuthorityRule",
    "Customer",
    "JobRun",
    "Membership",
    "Role",
    "Store",
]
