"""The objects of a batch PATCH are read without DRF's fields when their values are the usual
kinds (`BatchObjectSerializer._plain`), and so is a whole PATCH body (`plain_batch_change`): the
result is DRF's, and anything else still goes through DRF's fields (their checks, their
messages)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from pazar.channels.api.sales import serializers as batch_serializers
from pazar.channels.api.sales.serializers import (
    FAILED_REASONS,
    BatchObjectSerializer,
    BatchRequestSerializer,
    plain_batch_change,
)
from pazar.channels.models import BatchRequest

odd_texts = st.text(max_size=8) | st.sampled_from(["", " ", " x", "x ", "a\x00", "\ud800", "\t"])
dates = st.datetimes().map(lambda d: d.isoformat()) | st.sampled_from(
    ["2026-01-02T10:00:00Z", "2026-01-02T10:00:00.123456+03:00", "2026-01-02 10:00:00",
     "2026-13-02T10:00:00Z", "2026-01-02", "yesterday", ""]
)  # fmt: skip
values = {
    "pk": st.integers(min_value=-2, max_value=10**12) | st.just("7") | st.just(True) | st.none(),
    "content_type": st.sampled_from(["product", "productprice", "x" * 101, "Product"])
    | odd_texts
    | st.none()
    | st.integers(),
    "version_date": dates | st.none() | st.integers(),
    "remote_id": odd_texts | st.just("R-1") | st.just("r" * 256) | st.none() | st.integers(),
    "failed_reason_type": st.sampled_from([*FAILED_REASONS, "other", ""]) | st.none(),
    "extra": st.integers(),
}
objects = st.fixed_dictionaries({}, optional=values) | st.lists(st.integers()) | st.none()


def _outcome(read, data):
    try:
        return "valid", read(data)
    except serializers.ValidationError as error:
        return "invalid", error.detail


@settings(max_examples=600, deadline=None)
@given(data=objects)
def test_the_plain_reading_is_drf_reading(data):
    serializer = BatchObjectSerializer()
    plain = _outcome(serializer.to_internal_value, data)
    reference = _outcome(
        lambda item: batch_serializers._cleaned(
            super(BatchObjectSerializer, serializer).to_internal_value(item)
        ),
        data,
    )
    assert plain == reference
    if plain[0] == "valid":
        assert list(plain[1]) == list(reference[1])  # the same keys in the same order


def test_the_usual_object_is_read_plainly():
    serializer = BatchObjectSerializer()
    data = {"pk": 3, "content_type": "product", "version_date": "2026-01-02T10:00:00.5Z",
            "remote_id": None, "failed_reason_type": None}  # fmt: skip
    assert serializer._plain(data) is not None
    assert serializer.to_internal_value(data) == {
        "pk": 3, "content_type": "product", "version_date": "2026-01-02T10:00:00.500000+00:00",
        "remote_id": None, "failed_reason_type": None,
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"remote_batch_id": "RB-1", "content_type": "product", "status": "commit"},
        {
            "items": [
                {
                    "pk": 1,
                    "content_type": "product",
                    "version_date": None,
                    "failed_reason_type": None,
                }
            ],
            "status": "done",
        },
    ],
)
def test_the_batch_written_plainly_is_drf_output(channel, fields):
    batch = BatchRequest.objects.create(channel=channel, **fields)
    for each in (batch, BatchRequest.objects.get(pk=batch.pk)):
        serializer = BatchRequestSerializer()
        reference = super(BatchRequestSerializer, serializer).to_representation(each)
        reference["objects"] = each.items  # DRF's field walked them to give them back
        plain = serializer.to_representation(each)
        assert plain == reference
        assert list(plain) == list(reference)  # the same keys in the same order


usual_objects = st.fixed_dictionaries(
    {"pk": st.integers(min_value=1, max_value=10**12)},
    optional={
        "content_type": st.sampled_from(["product", "productprice"]) | st.none(),
        "version_date": st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
        | st.none(),
        "remote_id": st.from_regex(r"[A-Za-z0-9-]{1,12}", fullmatch=True) | st.none(),
        "failed_reason_type": st.sampled_from(FAILED_REASONS) | st.none(),
    },
)
statuses = st.sampled_from(["initialized", "commit", "done", "fail", "sent_to_remote", "x", ""])
bodies = (
    st.fixed_dictionaries(
        {},
        optional={
            "status": statuses | st.none() | st.integers(),
            "remote_batch_id": odd_texts | st.just("r" * 256) | st.none() | st.integers(),
            "content_type": odd_texts | st.just("product") | st.none() | st.integers(),
            "objects": st.lists(usual_objects, max_size=3)
            | st.lists(usual_objects | objects, max_size=3)
            | objects,
            "channel": st.integers(),
            "pk": st.integers(),
            "local_batch_id": st.text(max_size=4),
            "unknown": st.integers(),
        },
    )
    | st.lists(st.integers(), max_size=2)
    | st.none()
)


usual_bodies = st.fixed_dictionaries(
    {"objects": st.lists(usual_objects, max_size=4)},
    optional={"status": statuses, "content_type": st.just("product") | st.none()},
)


@settings(max_examples=400, deadline=None)
@given(body=bodies | usual_bodies)
def test_a_plain_batch_change_is_drf_reading(body):
    """Where the plain reading answers, it answers what the serializer validates (with `objects`
    for its `items`, as the view hands it on), keys and order of the objects included."""
    plain = plain_batch_change(body)
    if plain is None:
        return
    serializer = BatchRequestSerializer(BatchRequest(channel_id=1), data=body, partial=True)
    assert serializer.is_valid(), serializer.errors
    reference = dict(serializer.validated_data)
    if "items" in reference:
        reference["objects"] = reference.pop("items")
    assert plain == reference
    for mine, theirs in zip(
        plain.get("objects") or [], reference.get("objects") or [], strict=True
    ):
        assert list(mine) == list(theirs)


def test_the_loop_bodies_are_read_plainly():
    objects = [{"pk": 3, "content_type": "product", "version_date": "2026-01-02T10:00:00Z",
                "failed_reason_type": None, "remote_id": "R-3"}]  # fmt: skip
    assert plain_batch_change(
        {"channel": 1, "status": "commit", "content_type": "product", "objects": objects}
    ) == {
        "status": "commit",
        "content_type": "product",
        "objects": [{"pk": 3, "content_type": "product",
                     "version_date": "2026-01-02T10:00:00+00:00", "failed_reason_type": None,
                     "remote_id": "R-3"}],
    }  # fmt: skip
