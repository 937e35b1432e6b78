from django import template
from django.utils.http import urlencode

from pazar.backoffice import labels

register = template.Library()

STATUS_KEYS = {1: "waiting", 2: "processing", 3: "completed", 4: "failed"}


@register.filter
def batch_status(status) -> str:
    return labels.batch_status(status)


@register.filter
def batch_status_key(status) -> str:
    """A CSS-friendly name of a batch status (`waiting`, `processing`, …)."""
    return STATUS_KEYS.get(status, "unknown")


@register.filter
def batch_state_label(state) -> str:
    return labels.batch_state_label(state)


@register.filter
def batch_kind(kind) -> str:
    return labels.batch_kind(kind)


@register.filter
def approval_status(status) -> str:
    return labels.approval_status(status)


@register.filter
def order_item_status(status) -> str:
    return labels.order_item_status(status)


@register.filter
def package_status(status) -> str:
    return labels.package_status(status)


PACKAGE_BADGES = {
    1: "failed",
    2: "waiting",
    3: "processing",
    4: "approved",
    5: "completed",
    6: "failed",
}


@register.filter
def package_badge(status) -> str:
    """The badge colour of a package status (the batch badges' classes)."""
    return PACKAGE_BADGES.get(status, "")


@register.filter
def package_action(action) -> str:
    return str(labels.PACKAGE_ACTION.get(action, action))


@register.filter
def claim_status(status) -> str:
    return labels.claim_status(status)


@register.filter
def claim_type(kind) -> str:
    return labels.claim_type(kind)


@register.filter
def claim_action(action) -> str:
    return str(labels.CLAIM_ACTION.get(action, action))


@register.filter
def claim_event_reason(reason) -> str:
    return labels.claim_event_reason(reason)


CLAIM_BADGES = {"open": "waiting", "waiting": "waiting", "approved": "approved",
                "rejected": "rejected", "completed": "completed"}  # fmt: skip


@register.filter
def claim_badge(status) -> str:
    return CLAIM_BADGES.get(status, "")


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with `changes` applied (a value of None drops the key)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"
