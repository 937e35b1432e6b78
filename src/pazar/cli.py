"""The `pazar` command: Django's management entry point with Pazar's settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pazar.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else ["pazar", *sys.argv[1:]])
