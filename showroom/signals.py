"""Events the core announces so workflow apps can react without the core importing them.

Sent inside the service's transaction: a receiver that raises rolls the whole step back.
"""

from django.dispatch import Signal

# A walk-in was logged at the front desk. kwargs: visit
visit_logged = Signal()
# A walk-in was handed to a consultant. kwargs: visit, consultant
visit_assigned = Signal()
