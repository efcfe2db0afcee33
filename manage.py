#!/usr/bin/env python
"""Django's command-line utility for Kredin."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kredin.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        # Show the real cause: the stock message hides it behind "is Django installed?".
        raise ImportError(f"Could not import Django ({exc}). Run `make demo` or `make test` "
                          "once to create the virtualenv.") from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
