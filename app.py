"""Entry point for ``flask --app app run``: the admin of the instance in ``SIGNAGE_INSTANCE``."""

from signage import create_app

app = create_app()
