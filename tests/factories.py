import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from showroom.models import Customer, Membership, Role, Store
from showroom.validators import normalize_mobile

PASSWORD = "test-pass-123"


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"s{n:03d}")
    name = factory.Sequence(lambda n: f"门店 {n}")
    kind = Store.Kind.CAR_SHOWROOM
    address = "上海市浦东新区世纪大道 100 号"
    phone = "021-5000 0000"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "王明"
    last_name = ""
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        exclude = ("role_code",)

    user = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    role_code = "consultant"
    role = factory.LazyAttribute(lambda o: Role.objects.get(code=o.role_code))


_MOBILE_PREFIXES = ["138", "139", "150", "186", "177"]


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    mobile = factory.Sequence(lambda n: f"+86{_MOBILE_PREFIXES[n % 5]}{n % 100000000:08d}")
    consent_given = True
    consent_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Tests write numbers as people type them; the database holds them as the services do.
        kwargs["mobile"] = normalize_mobile(kwargs["mobile"])
        return kwargs
