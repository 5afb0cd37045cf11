"""The ``signage`` command: demo, admin server, worker, simulator, render and the data tools.

Each command is a thin shell over a module that does the work, so the same code runs
from the command line, from the launcher and from the tests.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="signage")
def main() -> None:
    """Controller for the LED board at the border gate."""


# --- commands are added below, one block per area ----------------------------------------
