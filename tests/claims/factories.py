import factory

from pazar.claims.models import CancellationReason, CancellationType


class CancellationReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CancellationReason

    cancellation_type = CancellationType.CANCEL
    subject = factory.Sequence(lambda n: f"Reason {n}")
