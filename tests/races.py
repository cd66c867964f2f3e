"""Running callables at the same moment, one thread and database connection each (races on
PostgreSQL with real transactions)."""

import threading

from django.db import connection


def race(*works):
    """Run the callables at the same moment, one thread each; return (results, errors)."""
    barrier = threading.Barrier(len(works))
    results, errors = [], []
    lock = threading.Lock()

    def worker(work):
        try:
            barrier.wait(timeout=30)
            value = work()
            with lock:
                results.append(value)
        except Exception as exc:  # collected and asserted by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(w,)) for w in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors
