import factory
from django.contrib.auth import get_user_model

from strom.models import Actor, ActorKind, ActorLevel, Country, Membership, Municipality, Role


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = "LV"
    name = "Latvia"
    reflection_period_days = 30
    languages = factory.LazyFunction(lambda: ["lv", "ru", "en"])


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Municipality {n}")
    code = factory.Sequence(lambda n: "M" + chr(65 + n // 26 % 26) + chr(65 + n % 26))


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = ActorKind.SOCIAL_SERVICE
    level = ActorLevel.LOCAL
    municipality = factory.SubFactory(MunicipalityFactory)
    country = factory.LazyAttribute(lambda o: o.municipality.country)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@strom.example")
    password = factory.django.Password("strom-test-password")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Role.SOCIAL_WORKER

    @factory.post_generation
    def join_actor_group(self, create, extracted, **kwargs):
        if create:
            self.actor.group.user_set.add(self.user)
