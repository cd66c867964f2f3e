from showroom.models.approvals import ApprovalDecision, ApprovalRequest, AuthorityRule
from showroom.models.audits import AuditAnswer, AuditSettings, ExportJob, ProcessAudit
from showroom.models.checklists import ChecklistAnswer, ChecklistItem, ChecklistRun, ChecklistTemplate
from showroom.models.customers import Customer, CustomerMerge, DuplicateDismissal, OwnershipEvent
from showroom.models.documents import Document, DocumentSequence
from showroom.models.followups import FollowUp, Notification
from showroom.models.frontdesk import (
    Assignment,
    Call,
    DutyRoster,
    FrontDeskReport,
    FrontDeskSettings,
    ReceptionShift,
    RosterEntry,
    Visit,
    VisitSource,
)
from showroom.models.jobs import JobRun
from showroom.models.privacy import PersonalDataAccess
from showroom.models.rollups import DailyFigure, DailyRollup
from showroom.models.stores import Membership, Role, Store

__all__ = [
    "ApprovalDecision",
    "ApprovalRequest",
    "Assignment",
    "AuditAnswer",
    "AuditSettings",
    "AuthorityRule",
    "Call",
    "ChecklistAnswer",
    "ChecklistItem",
    "ChecklistRun",
    "ChecklistTemplate",
    "Customer",
    "CustomerMerge",
    "DailyFigure",
    "DailyRollup",
    "Document",
    "DocumentSequence",
    "DuplicateDismissal",
    "DutyRoster",
    "ExportJob",
    "FollowUp",
    "FrontDeskReport",
    "FrontDeskSettings",
    "JobRun",
    "Membership",
    "Notification",
    "OwnershipEvent",
    "PersonalDataAccess",
    "ProcessAudit",
    "ReceptionShift",
    "Role",
    "RosterEntry",
    "Store",
    "Visit",
    "VisitSource",
]
