"""Reading back what a connector's run left in Pazar."""


def actions(pazar, cid: int, model: str) -> dict[int, dict]:
    """The channel's integration actions of `model`, by object id."""
    found = pazar.all(f"channel/{cid}/integration_actions/", content_type_name=model)
    return {a["object_id"]: a for a in found}


def remote_ids(pazar, cid: int, model: str) -> dict[int, str]:
    return {pk: a["remote_id"] for pk, a in actions(pazar, cid, model).items()}


def batches(pazar, cid: int, model: str) -> list[dict]:
    return pazar.all(f"channel/{cid}/batch_requests/", content_type=model, sort="id")


def sent(result: dict, kind: str) -> dict[str, dict]:
    """What one flow's run sent to the marketplace, by SKU."""
    return {item["sku"]: item for item in result["sent"] if item["kind"] == kind}
