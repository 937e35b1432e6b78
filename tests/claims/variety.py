"""One seller's claims of every kind CLM001 shows, made through the claims services: cancels by
the customer (a reason with translations), by the seller (no reason, the refusal as `detail`)
and by a cancellation request (approved, rejected, still open); returns open, waiting,
approved, received, completed and rejected by the seller (escalated), some with their return
code and tracking; events by the seller's user, the operator's and nobody. Read by the page's
tests and by bench/clm001_cpu.py (which loads this file by its path)."""

from __future__ import annotations

from dataclasses import dataclass

from pazar.accounts.models import Seller
from pazar.claims import services
from pazar.claims.models import CancellationType, CancelledBy, Claim
from pazar.fulfilment.models import Package, PackageItem
from pazar.fulfilment.services import package_deliver, package_ship
from pazar.orders.models import OrderItem
from tests.claims.factories import CancellationReasonFactory
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    ProductStockFactory,
    SellerMembershipFactory,
)
from tests.fulfilment.conftest import place
from tests.orders.conftest import make_shop
from tests.orders.factories import CargoCompanyFactory


@dataclass
class Variety:
    seller: Seller
    other_seller: Seller
    seller_user: object
    claims: list[Claim]


def claims_of_every_kind(operator_client, *, orders: int = 2, prefix: str = "MP-V") -> Variety:
    """`orders` orders of four lines of 3 units of the seller (and one of another seller's),
    each giving the seller 11 claims, and one more order with an open cancellation request."""
    shop = make_shop(stock=10**6)
    seller = shop.offer.seller
    products = [shop.offer]
    for _ in range(3):
        product = ProductFactory(seller=seller, live=True)
        ProductStockFactory(
            product=product, stock_list=shop.channel.catalog.stock_list, stock=10**6
        )
        products.append(product)
    seller_user = SellerMembershipFactory(seller=seller).user
    operator = OperatorFactory()
    translated = CancellationReasonFactory(
        cancellation_type=CancellationType.CANCEL,
        translations={"tr-tr": {"subject": "Vazgeçti"}, "en-us": {"subject": "Changed mind"},
                      "de-de": "not an entry", "fr-fr": {"subject": 3}},
    )  # fmt: skip
    plain = CancellationReasonFactory(cancellation_type=CancellationType.CANCEL)
    refund_reason = CancellationReasonFactory(
        cancellation_type=CancellationType.REFUND, translations={"tr-tr": {"subject": "Kusurlu"}}
    )
    cargo = CargoCompanyFactory()
    made = []
    for n in range(orders):
        order = place(
            operator_client, shop, f"{prefix}-{n}",
            [*(shop.item(p, quantity=3, price="100", discount_amount="10") for p in products),
             shop.item(shop.other_offer)],
        )  # fmt: skip
        first, second, third, fourth = OrderItem.objects.filter(
            order=order, product__seller=seller
        ).order_by("pk")
        package = Package.objects.get(order=order, seller=seller)
        # Before shipment: a customer's cancel, the seller's refusal, cancellation requests.
        made += services.order_cancel(
            order=order, cancelled_by=CancelledBy.CUSTOMER,
            lines=[services.ClaimLine(order_item=first, reason=translated, quantity=1,
                                      description="Changed my mind")],
        )  # fmt: skip
        number = PackageItem.objects.filter(package=package, order_item=first).get().number
        _, refused = services.package_items_reject(
            package=package, items=[{"item": number, "quantity": 1}], reason="Out of stock",
            user=seller_user,
        )  # fmt: skip
        made += refused
        requests = [
            services.cancellation_request_create(
                order_item=second,
                cancellation_type=CancellationType.CANCEL,
                reason=plain,
                description=f"request {k}",
            )
            for k in range(3)
        ]
        made.append(services.claim_approve(claim=requests[0], user=seller_user,
                                           by=CancelledBy.SELLER))  # fmt: skip
        made.append(services.claim_reject(claim=requests[1], reason="Already packed",
                                          user=seller_user))  # fmt: skip
        made.append(requests[2])
        services.claim_reject(claim=requests[2], reason="", by=CancelledBy.OPERATOR)
        package_ship(package=package, shipping_company=cargo, tracking_number=f"T{n}")
        package_deliver(package=package)
        # Returns, one unit each.
        returns = [
            services.order_cancel(
                order=order, cancelled_by=CancelledBy.CUSTOMER,
                lines=[services.ClaimLine(order_item=item, reason=refund_reason, quantity=1)],
                is_cargo_refund=k == 0,
            )[0]
            for k, item in enumerate([third, third, third, fourth, fourth, fourth])
        ]  # fmt: skip
        _open, waiting, approved, received, completed, rejected = returns
        services.claim_wait(claim=waiting)
        services.claim_approve(claim=approved, user=operator)
        services.claim_approve(claim=received)
        services.claim_receive(claim=received, user=operator)
        services.claim_approve(claim=completed, user=seller_user, by=CancelledBy.SELLER)
        services.claim_receive(claim=completed)
        services.claim_complete(claim=completed)
        services.claim_reject(claim=rejected, reason="Used", user=seller_user)
        Claim.objects.filter(pk__in=[received.pk, completed.pk]).update(
            return_code=f"RC-{n}", return_tracking_number=f"TR{n}",
            return_tracking_url=f"https://cargo.example.com/t/TR{n}",
        )  # fmt: skip
        made += returns
    # An order not shipped yet, with a cancellation request awaiting its decision.
    unshipped = place(operator_client, shop, f"{prefix}-open", [shop.item(shop.offer)])
    made.append(
        services.cancellation_request_create(
            order_item=OrderItem.objects.get(order=unshipped, product=shop.offer),
            cancellation_type=CancellationType.CANCEL,
            reason=translated,
        )
    )
    return Variety(
        seller=seller,
        other_seller=shop.other_offer.seller,
        seller_user=seller_user,
        claims=list(Claim.objects.filter(pk__in=[c.pk for c in made])),
    )
