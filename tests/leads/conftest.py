"""Fixtures of the leads tests: a car store's catalogue and a way to open a lead through the
service (with its follow-up plan), as the consultant of store A."""

import pytest

from leads.services import lead_create
from tests.factories import CustomerFactory
from tests.leads.factories import TrimFactory, VehicleModelFactory


@pytest.fixture
def gl8(db):
    model = VehicleModelFactory(name="GL8", segment="mpv")
    TrimFactory(vehicle_model=model, name="陆尊 653T 豪华型")
    return model


@pytest.fixture
def open_lead(personas, gl8):
    """open_lead(**kw): a lead of store A opened by the consultant through ``lead_create``."""

    def make(*, user=None, customer=None, **values):
        values.setdefault("vehicle_model", gl8)
        return lead_create(
            user=user or personas.consultant,
            store=personas.store_a,
            customer=customer or CustomerFactory(store=personas.store_a),
            **values,
        )

    return make
