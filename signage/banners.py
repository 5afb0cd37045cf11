"""Banners (băng rôn, pano) from uploaded bytes: checked like the renderer checks them.

One place that turns bytes into a ``Banner`` row, so an upload and an import refuse the
same files (not an image, truncated, a decompression bomb, too big) with the same words.
"""

from __future__ import annotations

import hashlib

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.models import Banner
from signage.render import RenderError
from signage.render.banner import FITS, MAX_BANNER_BYTES, open_image
from signage.render.errors import N_


def describe(data: bytes) -> tuple[str, str, int, int]:
    """(sha256, mime, width, height) of an image upload; ``RenderError`` names what is wrong."""
    if len(data) > MAX_BANNER_BYTES:
        raise RenderError(
            N_("banner is %(size)d MB; at most %(limit)d MB"),
            size=len(data) // (1024 * 1024),
            limit=MAX_BANNER_BYTES // (1024 * 1024),
        )
    with open_image(data) as img:
        mime = Image.MIME.get(img.format or "", "application/octet-stream")
        width, height = img.size
    return hashlib.sha256(data).hexdigest(), mime, width, height


#: A picture counts as in colour when this share of its pixels is clearly saturated.
COLOURFUL_SHARE = 0.05


def is_colourful(data: bytes) -> bool:
    """Whether the picture has colours a one-colour board loses (it lights or not, dithered).

    Judged on a 64x64 copy: more than ``COLOURFUL_SHARE`` of its pixels with saturation over
    a quarter. Grey pictures and black-and-white text lose nothing but their shades."""
    with open_image(data) as img:
        small = img.convert("RGB").resize((64, 64)).convert("HSV")
    saturated = sum(small.getchannel("S").histogram()[64:])
    return saturated > COLOURFUL_SHARE * 64 * 64


def store_banner(session: Session, name: str, data: bytes, fit: str = "fit") -> tuple[Banner, bool]:
    """The banner for these bytes (a new row, or the existing one with the same content)."""
    if fit not in FITS:
        raise RenderError(N_("fit %(value)r: use one of %(known)s"), value=fit, known=", ".join(FITS))
    sha, mime, width, height = describe(data)
    same = select(Banner).where(Banner.sha256 == sha).execution_options(include_deleted=True)
    existing = session.scalar(same)
    if existing is not None and existing.deleted_at is not None:
        # the same picture is in the bin (its hash is unique): uploading it again brings it back
        existing.deleted_at, existing.deleted_by = None, None
        existing.name, existing.fit = name.strip() or existing.name, fit
        return existing, True
    if existing is not None:
        return existing, False
    banner = Banner(
        name=name.strip() or "banner", sha256=sha, mime=mime, data=data, width=width, height=height, fit=fit
    )
    session.add(banner)
    return banner, True
