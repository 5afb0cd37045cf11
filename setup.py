"""Which folders the wheel carries: setuptools' pyproject table cannot map extra folders.

The design card keeps ``fonts/`` and ``playlists/`` at the top of the repository; the wheel
installs them inside the package as ``signage.fonts`` and ``signage.playlists`` so the
program finds them with ``importlib.resources`` wherever it is installed. Everything else
(name, version, dependencies, scripts) is in pyproject.toml.
"""

from setuptools import find_packages, setup

DATA_PACKAGES = {"signage.fonts": "fonts", "signage.playlists": "playlists"}

setup(
    packages=find_packages(include=["signage", "signage.*", "drivers", "drivers.*", "firmware", "firmware.*"])
    + list(DATA_PACKAGES),
    package_dir=DATA_PACKAGES,
    package_data={
        "signage": [
            "web/templates/**/*",
            "web/static/**/*",
            "translations/*/LC_MESSAGES/*",
            "migrations/script.py.mako",
            "migrations/alembic.ini",
            "migrations/versions/*.py",
            "render/data/*.txt",
        ],  # the words a line never breaks inside
        "signage.fonts": ["*.ttf", "*.otf", "*.txt", "*.md"],
        "signage.playlists": ["*.toml"],
    },
    zip_safe=False,
)
