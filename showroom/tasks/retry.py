"""What every task of the core shares: a lost database connection (a failover, a restart, a
network blip) is retried with exponential back-off instead of dropping the work. The tasks are
idempotent, so a retry, or a redelivery after a worker died (acks late), does the work once."""

from django.db import InterfaceError, OperationalError

DATABASE_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}
