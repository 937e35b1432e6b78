"""`pazar.wsgi`: the application the web server loads."""

import subprocess
import sys


def test_the_application_loads_with_what_it_built_to_start_kept_from_the_collector():
    # given: a fresh interpreter, as each web server worker is
    code = (
        "import gc; before = gc.get_freeze_count(); import pazar.wsgi as w; "
        "print(before, gc.get_freeze_count(), callable(w.application))"
    )

    # when
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )

    # then: the objects built while loading are frozen, and the application is there
    before, after, callable_ = result.stdout.split()
    assert before == "0" and int(after) > 10_000 and callable_ == "True"
