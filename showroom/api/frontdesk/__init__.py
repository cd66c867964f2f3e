"""The front desk and the duty roster over the API (``/api/v1/core/…``).

- ``frontdesk-visits/``: list (``?store=``, ``?day=YYYY-MM-DD``, ``?open=true``), create (a walk-in),
  detail; ``POST …/<id>/leave/`` (``left_at``), ``…/<id>/assign/`` (no body: the next consultant
  in turn; ``consultant`` and ``reason``: a manager's override), ``…/<id>/customer/`` (``customer``).
- ``frontdesk-calls/``: list (``?store=``, ``?day=``), create, detail.
- ``frontdesk-shifts/``: list (``?store=``, ``?day=``), detail with live counts,
  ``POST …/open/`` (``store``), ``POST …/<id>/close/`` (``next_receptionist``, ``note``).
- ``frontdesk-rosters/``: list (``?store=``, ``?day=``), detail, create = set a day's order
  (``store``, ``day``, ``consultants``: ids in order), ``GET …/today/?store=``,
  ``GET …/next_up/?store=&day=``, ``POST …/<id>/status/`` (``consultant``, ``status``).
- ``frontdesk-assignments/``: list (``?store=``, ``?day=``, ``?kind=``), detail.
- ``frontdesk-sources/?store=``: the store's list of visit sources.

Serializers parse and present; every rule is the services'. 403 not allowed, 404 another store.
"""

from showroom.api.frontdesk.calls import CallCreateSerializer, CallSerializer, CallViewSet
from showroom.api.frontdesk.common import DAY_PARAM, STORE_PARAM
from showroom.api.frontdesk.roster import (
    NEXT_UP,
    AssignmentSerializer,
    AssignmentViewSet,
    RosterEntrySerializer,
    RosterSerializer,
    RosterSetSerializer,
    RosterStatusSerializer,
    RosterViewSet,
    SkipSerializer,
)
from showroom.api.frontdesk.shifts import ShiftCloseSerializer, ShiftOpenSerializer, ShiftSerializer, ShiftViewSet
from showroom.api.frontdesk.sources import VisitSourceSerializer, VisitSourceViewSet
from showroom.api.frontdesk.visits import (
    AssignSerializer,
    CustomerLinkSerializer,
    LeaveSerializer,
    VisitCreateSerializer,
    VisitSerializer,
    VisitViewSet,
)

__all__ = [
    "DAY_PARAM",
    "NEXT_UP",
    "STORE_PARAM",
    "AssignSerializer",
    "AssignmentSerializer",
    "AssignmentViewSet",
    "CallCreateSerializer",
    "CallSerializer",
    "CallViewSet",
    "CustomerLinkSerializer",
    "LeaveSerializer",
    "RosterEntrySerializer",
    "RosterSerializer",
    "RosterSetSerializer",
    "RosterStatusSerializer",
    "RosterViewSet",
    "ShiftCloseSerializer",
    "ShiftOpenSerializer",
    "ShiftSerializer",
    "ShiftViewSet",
    "SkipSerializer",
    "VisitCreateSerializer",
    "VisitSerializer",
    "VisitSourceSerializer",
    "VisitSourceViewSet",
    "VisitViewSet",
]
