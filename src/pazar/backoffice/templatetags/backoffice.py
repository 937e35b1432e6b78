from django import template
from django.utils.http import urlencode

from pazar.backoffice import labels

register = template.Library()

# Labels in words, as the back office's other pages show them (pazar.backoffice.labels).
for _name in (
    "batch_status",
    "batch_state_label",
    "batch_kind",
    "approval_status",
    "order_item_status",
    "package_status",
    "claim_status",
    "claim_type",
    "claim_event_reason",
):
    register.filter(_name, getattr(labels, _name))


STATUS_KEYS = {1: "waiting", 2: "processing", 3: "completed", 4: "failed"}


@register.filter
def batch_status_key(status) -> str:
    """A CSS-friendly name of a batch status (`waiting`, `processing`, …)."""
    return STATUS_KEYS.get(status, "unknown")


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
def claim_action(action) -> str:
    return str(labels.CLAIM_ACTION.get(action, action))


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
