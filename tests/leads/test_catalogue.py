"""The vehicle catalogue: everyone reads it; only a sales manager writes it (services, API, pages);
bad input is 400 with field messages and changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from leads.models import Brand, Trim, TrimColour, VehicleModel
from leads.services import brand_create, trim_colour_price_set, trim_create, trim_update, vehicle_model_create
from tests.leads.factories import BrandFactory, ColourFactory, TrimFactory, VehicleModelFactory

pytestmark = pytest.mark.django_db

READERS = ["consultant", "receptionist", "warehouse_keeper", "showroom_manager", "general_manager", "b_consultant"]
NOT_EDITORS = ["consultant", "showroom_manager", "general_manager", "marketing_director", "b_manager"]


class TestServices:
    def test_the_sales_manager_builds_a_model_with_trims_colours_and_prices(self, personas):
        user = personas.sales_manager
        brand = brand_create(user=user, name="别克")
        model = vehicle_model_create(
            user=user, brand=brand, name="GL8", segment="mpv", consultant_discount_limit="8,000"
        )
        trim = trim_create(user=user, vehicle_model=model, name="陆尊 653T 豪华型", list_price="329,900.00")
        colour = ColourFactory(vehicle_model=model, name="珍珠白")
        price = trim_colour_price_set(user=user, trim=trim, colour=colour, list_price="331900")
        assert (model.consultant_discount_limit, trim.list_price, price.list_price) == (
            Decimal("8000.00"),
            Decimal("329900.00"),
            Decimal("331900.00"),
        )
        # setting the price again changes the one row
        trim_colour_price_set(user=user, trim=trim, colour=colour, list_price="332900")
        assert TrimColour.objects.get().list_price == Decimal("332900.00")

    @pytest.mark.parametrize("who", NOT_EDITORS)
    def test_others_may_not_write(self, personas, who):
        with pytest.raises(PermissionDenied):
            brand_create(user=getattr(personas, who), name="别克")
        assert not Brand.objects.exists()

    @pytest.mark.parametrize(
        ("values", "field"),
        [
            ({"name": " "}, "name"),
            ({"segment": "truck"}, "segment"),
            ({"consultant_discount_limit": "-1"}, "consultant_discount_limit"),
            ({"consultant_discount_limit": "abc"}, "consultant_discount_limit"),
            ({"name": "gl8"}, "name"),  # the brand already has it (any case)
        ],
    )
    def test_bad_model_input_is_refused_with_the_field(self, personas, values, field):
        brand = BrandFactory(name="别克")
        VehicleModelFactory(brand=brand, name="GL8")
        args = {"brand": brand, "name": "君越", "segment": "sedan_b", "consultant_discount_limit": "0", **values}
        with pytest.raises(ValidationError) as refused:
            vehicle_model_create(user=personas.sales_manager, **args)
        assert field in refused.value.message_dict
        assert VehicleModel.objects.count() == 1

    def test_a_name_taken_in_the_same_parent_is_refused_whatever_its_case(self, personas):
        user = personas.sales_manager
        brand_create(user=user, name="Buick")
        with pytest.raises(ValidationError) as refused:
            brand_create(user=user, name="BUICK")
        assert "name" in refused.value.message_dict
        trim = TrimFactory(name="豪华型")
        with pytest.raises(ValidationError) as refused:
            trim_create(user=user, vehicle_model=trim.vehicle_model, name="豪华型", list_price="1")
        assert "name" in refused.value.message_dict
        # the same trim name under another model is fine, and a row keeps its own name on edit
        trim_create(user=user, vehicle_model=VehicleModelFactory(), name="豪华型", list_price="1")
        assert trim_update(user=user, trim=trim, name="豪华型", list_price="2").list_price == Decimal("2")
        assert Brand.objects.filter(name__iexact="buick").count() == 1

    def test_a_colour_of_another_model_has_no_price_for_this_trim(self, personas):
        trim = TrimFactory()
        other = ColourFactory()
        with pytest.raises(ValidationError) as refused:
            trim_colour_price_set(user=personas.sales_manager, trim=trim, colour=other, list_price="1")
        assert "colour" in refused.value.message_dict


class TestApi:
    @pytest.mark.parametrize("who", READERS)
    def test_everyone_reads(self, personas, api, who):
        model = VehicleModelFactory(name="GL8")
        TrimFactory(vehicle_model=model)
        client = api(getattr(personas, who))
        for name in (
            "lead-brand-list",
            "lead-vehicle-model-list",
            "lead-trim-list",
            "lead-colour-list",
            "lead-price-list",
        ):
            assert client.get(reverse(name)).status_code == 200
        assert client.get(reverse("lead-vehicle-model-detail", args=[model.pk])).json()["name"] == "GL8"

    def test_anonymous_reads_nothing(self, api):
        assert api().get(reverse("lead-brand-list")).status_code in (401, 403)

    @pytest.mark.parametrize("who", NOT_EDITORS)
    def test_others_get_403_and_nothing_changes(self, personas, api, who):
        brand = BrandFactory(name="别克")
        client = api(getattr(personas, who))
        assert client.post(reverse("lead-brand-list"), {"name": "丰田", "is_own": False}).status_code == 403
        assert client.patch(reverse("lead-brand-detail", args=[brand.pk]), {"name": "BUICK"}).status_code == 403
        brand.refresh_from_db()
        assert (Brand.objects.count(), brand.name) == (1, "别克")

    def test_the_sales_manager_writes_and_bad_input_is_400(self, personas, api):
        client = api(personas.sales_manager)
        brand = client.post(reverse("lead-brand-list"), {"name": "别克", "is_own": True}).json()
        created = client.post(
            reverse("lead-vehicle-model-list"),
            {"brand": brand["id"], "name": "英朗", "segment": "sedan_a", "consultant_discount_limit": "3000"},
        )
        assert created.status_code == 201, created.json()
        model_id = created.json()["id"]
        for body, field in (
            ({"name": "", "list_price": "5"}, "name"),
            ({"name": "精英型", "list_price": "-5"}, "list_price"),
        ):
            bad = client.post(reverse("lead-trim-list"), {"vehicle_model": model_id, **body})
            assert bad.status_code == 400
            assert field in bad.json()["fields"]
        assert not Trim.objects.exists()
        trim = client.post(
            reverse("lead-trim-list"), {"vehicle_model": created.json()["id"], "name": "精英型", "list_price": "109900"}
        ).json()
        colour = client.post(
            reverse("lead-colour-list"), {"vehicle_model": created.json()["id"], "name": "雪域白"}
        ).json()
        price = client.post(
            reverse("lead-price-list"), {"trim": trim["id"], "colour": colour["id"], "list_price": "109900"}
        )
        assert price.status_code == 201, price.json()
        again = client.post(
            reverse("lead-price-list"), {"trim": trim["id"], "colour": colour["id"], "list_price": "110900"}
        )
        assert again.status_code == 201
        assert TrimColour.objects.get().list_price == Decimal("110900.00")

    def test_an_unknown_id_is_404(self, personas, api):
        assert api(personas.consultant).get(reverse("lead-brand-detail", args=[999999])).status_code == 404


class TestPages:
    def test_readers_see_prices_without_edit_controls(self, personas, web):
        trim = TrimFactory(list_price=Decimal("219900"))
        colour = ColourFactory(vehicle_model=trim.vehicle_model, name="珍珠白")
        TrimColour.objects.create(trim=trim, colour=colour, list_price=Decimal("221900"))
        client = web(personas.consultant)
        assert client.get(reverse("leads:catalogue")).status_code == 200
        page = client.get(reverse("leads:catalogue_model", args=[trim.vehicle_model_id])).content.decode()
        assert "¥221,900.00" in page
        assert reverse("leads:price_set", args=[trim.pk, colour.pk]) not in page
        assert client.get(reverse("leads:model_create")).status_code == 403
        response = client.post(reverse("leads:price_set", args=[trim.pk, colour.pk]), {"list_price": "1"})
        assert response.status_code == 403
        assert TrimColour.objects.get().list_price == Decimal("221900")

    def test_the_sales_manager_edits_through_the_pages(self, personas, web):
        trim = TrimFactory()
        colour = ColourFactory(vehicle_model=trim.vehicle_model)
        client = web(personas.sales_manager)
        page = client.get(reverse("leads:catalogue_model", args=[trim.vehicle_model_id])).content.decode()
        assert reverse("leads:price_set", args=[trim.pk, colour.pk]) in page
        client.post(reverse("leads:price_set", args=[trim.pk, colour.pk]), {"list_price": "1,234.50"})
        assert TrimColour.objects.get().list_price == Decimal("1234.50")
        response = client.post(reverse("leads:brand_create"), {"name": ""})
        assert response.status_code == 400
        response = client.post(reverse("leads:brand_create"), {"name": "丰田"})
        assert response.status_code == 302
        assert Brand.objects.filter(name="丰田", is_own=False).exists()
