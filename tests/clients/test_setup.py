"""channel_app's setup services against Pazar: the marketplace's category tree, its category
attributes and its other attributes, kept in the channel's tree and attribute family."""


def setup_state(pazar, cid: int) -> dict:
    """What the setup leaves in Pazar, by remote id and name."""
    base = f"channel/{cid}/"
    actions = {
        model: {a["remote_id"]: a["object_id"] for a in pazar.all(f"{base}integration_actions/", content_type_name=model)}
        for model in ["categorynode", "marketplaceattribute", "marketplaceattributevalue"]
    }  # fmt: skip
    nodes = {n["pk"]: n for n in pazar.all(f"{base}category_nodes/")}
    sets = {s["id"]: s for s in pazar.all(f"{base}attribute_sets/")}
    attributes = {a["pk"]: a["name"] for a in pazar.all(f"{base}attributes/")}
    configs = pazar.all(f"{base}attribute_configs/detailed/")
    return {
        "tree": pazar.get(f"channels/{cid}/")["category_tree"],
        "actions": actions,
        "nodes": {pk: (n["name"], n["parent"]) for pk, n in nodes.items()},
        "sets": sorted((s["remote_id"], s["name"]) for s in sets.values()),
        "set_configs": sorted(
            (sets[c["attribute_set"]]["remote_id"], c["object_id"])
            for c in pazar.all(f"{base}attribute_set_configs/")
        ),
        "attributes": sorted(attributes.values()),
        "values": sorted(
            (attributes[v["attribute"]], v["label"], v["value"])
            for v in pazar.all(f"{base}attribute_values/")
        ),
        "configs": sorted(
            (
                c["attribute_set"]["remote_id"],
                c["attribute"]["name"],
                c["attribute_remote_id"],
                c["is_required"],
                c["is_variant"],
            )
            for c in configs
        ),
        "schemas": sorted(s["name"] for s in pazar.all(f"{base}attribute_schemas/")),
    }


def test_category_tree_and_attributes_are_set_up_once(live_pazar, channel):
    cid = channel["channel"]
    live_pazar.run(channel, "tree", "category_attributes", "attributes")

    state = setup_state(live_pazar, cid)
    tree = live_pazar.get(f"channel/{cid}/category_trees/{state['tree']}/")
    root = tree["category_root"]["pk"]
    node = state["actions"]["categorynode"]
    assert set(node) == {"clothing", "shirts", "trousers", "shoes"}
    assert state["nodes"][node["clothing"]] == ("Clothing", root)
    assert state["nodes"][node["shoes"]] == ("Shoes", root)
    assert state["nodes"][node["shirts"]] == ("Shirts", node["clothing"])
    assert state["nodes"][node["trousers"]] == ("Trousers", node["clothing"])
    assert [remote_id for remote_id, _ in state["sets"]] == ["shirts", "trousers"]
    assert state["set_configs"] == sorted(
        [("shirts", node["shirts"]), ("trousers", node["trousers"])]
    )
    assert state["attributes"] == ["Color", "Material", "Size"]
    assert set(state["actions"]["marketplaceattribute"]) == {"color", "size", "material"}
    assert ("Color", "Red", "red") in state["values"]
    assert ("Material", "Wool", "wool") in state["values"]
    assert state["configs"] == [
        ("shirts", "Color", "color", True, False),
        ("shirts", "Size", "size", False, True),
        ("trousers", "Size", "size", False, True),
    ]

    # A second run finds everything in place: nothing new in Pazar.
    live_pazar.run(channel, "tree", "category_attributes", "attributes")
    assert setup_state(live_pazar, cid) == state
