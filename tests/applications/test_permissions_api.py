"""Omnitron application permissions: each application's tree of named permissions (§3)."""

import pytest

from pazar.applications.models import ApplicationPermission
from tests.applications.factories import ApplicationFactory, ApplicationPermissionFactory

pytestmark = pytest.mark.django_db

PERMISSIONS = "/omnitron/api/v1/application_permissions/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def detail(permission: ApplicationPermission) -> str:
    return f"{PERMISSIONS}{permission.pk}/"


def permission_body(permission: ApplicationPermission) -> dict:
    permission.refresh_from_db()
    return {
        "pk": permission.pk,
        "id": permission.pk,
        "name": permission.name,
        "path": permission.path,
        "label": permission.label,
        "parent": permission.parent_id,
        "application": permission.application_id,
        "created_date": iso(permission.created_at),
        "modified_date": iso(permission.updated_at),
    }


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_a_tree_of_permissions_is_built_under_an_application(operator_client):
    application = ApplicationFactory()

    menu = operator_client.post(
        PERMISSIONS,
        {"name": "Orders", "path": "/orders", "label": "view", "application": application.pk},
        format="json",
    )
    button = operator_client.post(
        PERMISSIONS,
        {
            "name": "Update orders",
            "path": "/orders",
            "label": "update",
            "parent": menu.json()["pk"],
            "application": application.pk,
        },
        format="json",
    )

    assert menu.status_code == 201
    assert button.status_code == 201
    child = ApplicationPermission.objects.get(name="Update orders")
    assert button.json() == permission_body(child)
    assert child.parent.name == "Orders"
    assert menu.json()["parent"] is None


def test_path_and_label_are_optional_and_name_application_required(operator_client):
    application = ApplicationFactory()

    bare = operator_client.post(
        PERMISSIONS, {"name": "Reports", "application": application.pk}, format="json"
    )
    empty = operator_client.post(PERMISSIONS, {}, format="json")

    assert bare.status_code == 201
    assert (bare.json()["path"], bare.json()["label"]) == ("", "")
    assert empty.status_code == 400
    assert empty.json() == {
        "name": ["This field is required."],
        "application": ["This field is required."],
    }


@pytest.mark.parametrize(
    ("field", "value", "errors"),
    [
        ("application", 424242, ['Invalid pk "424242" - object does not exist.']),
        ("parent", 424242, ['Invalid pk "424242" - object does not exist.']),
        ("name", "x" * 256, ["Ensure this field has no more than 255 characters."]),
        ("label", "x" * 101, ["Ensure this field has no more than 100 characters."]),
    ],
)
def test_invalid_permissions_are_refused(operator_client, field, value, errors):
    body = {"name": "Orders", "application": ApplicationFactory().pk, field: value}

    response = operator_client.post(PERMISSIONS, body, format="json")

    assert response.status_code == 400
    assert response.json() == {field: errors}


def test_a_parent_from_another_application_is_refused(operator_client):
    foreign = ApplicationPermissionFactory()

    response = operator_client.post(
        PERMISSIONS,
        {"name": "Orders", "application": ApplicationFactory().pk, "parent": foreign.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "parent": ["The parent must be a permission of the same application."]
    }


def test_a_permission_cannot_move_under_itself_or_its_descendants(operator_client):
    root = ApplicationPermissionFactory()
    child = ApplicationPermissionFactory(application=root.application, parent=root)
    grandchild = ApplicationPermissionFactory(application=root.application, parent=child)

    itself = operator_client.patch(detail(root), {"parent": root.pk}, format="json")
    descendant = operator_client.patch(detail(root), {"parent": grandchild.pk}, format="json")
    sideways = operator_client.patch(detail(grandchild), {"parent": root.pk}, format="json")

    message = ["A permission cannot be placed under itself or one of its descendants."]
    assert itself.status_code == 400
    assert itself.json() == {"parent": message}
    assert descendant.json() == {"parent": message}
    assert sideways.status_code == 200
    assert sideways.json()["parent"] == root.pk


def test_a_permission_with_children_cannot_move_to_another_application(operator_client):
    root = ApplicationPermissionFactory()
    ApplicationPermissionFactory(application=root.application, parent=root)
    leaf = ApplicationPermissionFactory()
    other = ApplicationFactory()

    refused = operator_client.patch(detail(root), {"application": other.pk}, format="json")
    moved = operator_client.patch(detail(leaf), {"application": other.pk}, format="json")

    assert refused.status_code == 400
    assert refused.json() == {
        "application": ["A permission with children cannot move to another application."]
    }
    assert moved.status_code == 200
    assert moved.json()["application"] == other.pk


def test_a_permission_is_read_replaced_and_patched(operator_client):
    permission = ApplicationPermissionFactory(name="Orders", label="view")

    read = operator_client.get(detail(permission))
    replaced = operator_client.put(
        detail(permission),
        {
            "name": "Orders (all)",
            "path": "/orders/all",
            "label": "view",
            "application": permission.application_id,
        },
        format="json",
    )
    patched = operator_client.patch(detail(permission), {"label": "update"}, format="json")

    assert read.status_code == 200
    assert read.json()["name"] == "Orders"
    assert replaced.status_code == 200
    assert replaced.json()["path"] == "/orders/all"
    assert patched.status_code == 200
    assert patched.json() == permission_body(permission)
    assert patched.json()["label"] == "update"


def test_deleting_a_permission_deletes_its_subtree(operator_client):
    root = ApplicationPermissionFactory(name="root")
    child = ApplicationPermissionFactory(application=root.application, parent=root, name="child")
    ApplicationPermissionFactory(application=root.application, parent=child, name="grandchild")
    ApplicationPermissionFactory(application=root.application, name="other root")

    response = operator_client.delete(detail(root))

    assert response.status_code == 204
    assert response.content == b""
    assert list(ApplicationPermission.objects.values_list("name", flat=True)) == ["other root"]
    assert operator_client.get(detail(root)).status_code == 404


@pytest.fixture
def trees():
    first = ApplicationFactory(name="first")
    second = ApplicationFactory(name="second")
    orders = ApplicationPermissionFactory(
        application=first, name="Orders", path="/orders", label="view"
    )
    ApplicationPermissionFactory(
        application=first, parent=orders, name="Update orders", path="/orders", label="update"
    )
    ApplicationPermissionFactory(application=second, name="Reports", path="/reports", label="view")
    return first, second, orders


def test_permissions_filter_by_application_parent_and_text(operator_client, trees):
    first, second, orders = trees

    def listed(**query):
        response = operator_client.get(PERMISSIONS, query)
        assert response.status_code == 200
        return names(response)

    assert listed() == ["Orders", "Update orders", "Reports"]
    assert listed(application=first.pk) == ["Orders", "Update orders"]
    assert listed(application__in=f"{first.pk},{second.pk}") == [
        "Orders", "Update orders", "Reports",
    ]  # fmt: skip
    assert listed(parent=orders.pk) == ["Update orders"]
    assert listed(parent__isnull="true") == ["Orders", "Reports"]
    assert listed(name__icontains="orders") == ["Orders", "Update orders"]
    assert listed(label="update") == ["Update orders"]
    assert listed(path__contains="report") == ["Reports"]
