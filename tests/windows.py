"""Rate limits count in fixed calendar windows: a burst that straddles two sees two limits."""

import time


def wait_for_window_room(period: int = 60, room: float = 10.0) -> None:
    """Sleep into the next fixed window when fewer than `room` seconds are left of this one.

    A burst that straddles two windows would see two limits' worth of successes.
    """
    left = period - time.time() % period
    if left < room:
        time.sleep(left + 0.05)
