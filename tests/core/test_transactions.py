"""The locks a `savepoints_spared()` block remembers, and when it forgets them."""

import pytest
from django.db import transaction

from pazar.core.transactions import locks_to_take, savepoints_spared

pytestmark = pytest.mark.django_db


def test_outside_a_block_every_lock_is_taken_each_time():
    with transaction.atomic():
        assert locks_to_take([("change", "2"), ("change", "1")]) == [
            ("change", "1"),
            ("change", "2"),
        ]
        assert locks_to_take([("change", "1")]) == [("change", "1")]


def test_a_block_takes_a_lock_once():
    with transaction.atomic(), savepoints_spared():
        assert locks_to_take([("change", "1"), ("change", "1")]) == [("change", "1")]
        assert locks_to_take([("change", "1"), ("change", "2")]) == [("change", "2")]
        assert locks_to_take([("change", "2")]) == []


def test_a_lock_taken_before_a_savepoint_stays_taken_inside_it():
    with transaction.atomic(), savepoints_spared():
        locks_to_take([("change", "1")])
        with transaction.atomic():  # a savepoint
            assert locks_to_take([("change", "1")]) == []


def test_a_lock_taken_in_a_savepoint_rolled_back_is_taken_again():
    with transaction.atomic(), savepoints_spared():
        try:
            with transaction.atomic():
                assert locks_to_take([("change", "1")]) == [("change", "1")]
                raise ValueError
        except ValueError:
            pass
        # PostgreSQL let go of the lock with the savepoint: it is asked for again
        assert locks_to_take([("change", "1")]) == [("change", "1")]
        assert locks_to_take([("change", "1")]) == []


def test_a_lock_taken_in_a_savepoint_released_is_asked_for_once_more():
    with transaction.atomic(), savepoints_spared():
        with transaction.atomic():
            assert locks_to_take([("change", "1")]) == [("change", "1")]
        assert locks_to_take([("change", "1")]) == [("change", "1")]


def test_blocks_without_a_savepoint_do_not_make_a_lock_forgotten():
    with transaction.atomic(), savepoints_spared():
        with transaction.atomic(savepoint=False), transaction.atomic(savepoint=False):
            assert locks_to_take([("change", "1")]) == [("change", "1")]
        assert locks_to_take([("change", "1")]) == []
