"""Demo data of the delivery app (seeder ``delivery``, after ``quotes``); filled in below."""

from showroom.registry import register_seeder


def seed_delivery(*, stdout) -> None:
    from delivery.demo_data import seed

    seed(stdout=stdout)


register_seeder("delivery", seed_delivery, depends_on=["quotes"])
