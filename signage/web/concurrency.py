"""The record versions edit forms carry (see ``signage.services.versions``)."""

from signage.services.versions import fingerprint

__all__ = ["fingerprint"]
