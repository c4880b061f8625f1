"""`python -m motcua <command>`: Django management commands with dashes allowed (seed-demo)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1:
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "motcua"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
