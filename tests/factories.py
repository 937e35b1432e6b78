"""factory_boy factories shared by every test package."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pazar.accounts import tokens
from pazar.accounts.models import Seller, SellerAccessToken, SellerMembership
from pazar.languages.models import Language

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class OperatorFactory(UserFactory):
    is_staff = True


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    name = factory.Sequence(lambda n: f"seller-{n}")


class SellerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerMembership

    user = factory.SubFactory(UserFactory)
    seller = factory.SubFactory(SellerFactory)
    is_admin = True


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = "en-us"
    name = "English"


def operator_token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def seller_token(
    membership, *, valid_for=timedelta(days=30), note="test"
) -> tuple[SellerAccessToken, str]:
    key = tokens.new_key()
    token = SellerAccessToken.objects.create(
        seller=membership.seller,
        user=membership.user,
        note=note,
        key_prefix=key[:8],
        key_digest=tokens.digest(key),
        valid_until=timezone.now() + valid_for,
    )
    return token, key
