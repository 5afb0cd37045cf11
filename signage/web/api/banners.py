"""API for banners (băng rôn, pano): metadata, the image bytes, uploads, name and fit, delete.

Uploads go through ``signage.banners.store_banner``, the same checks as the admin's upload
form and the importer (not an image, truncated, a decompression bomb, too big), so a script
cannot put on a board what staff could not.
"""

from __future__ import annotations

from typing import Any

from flask import Request, Response, current_app
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from signage.models import Banner
from signage.render.banner import FITS
from signage.services import InvalidInput
from signage.services import content as service
from signage.services.content import BannerChange, banner_version
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import (
    answered,
    as_utc,
    errors,
    instant,
    named,
    no_such,
    refuse,
)
from signage.web.api.schemas import BannerPatch, BannerUpload, Published
from signage.web.db import get_db
from signage.web.messages import say
from signage.web.publishing import publish_report


class MultipartParser(FlaskParser):
    """Reads a multipart body's fields and files as one, so one schema describes the upload."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req: Request, schema: Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class UploadBlueprint(Blueprint):
    """A blueprint whose ``multipart`` arguments are documented as one multipart/form-data body."""

    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }


blp = UploadBlueprint("api_banners", __name__, url_prefix="/api", description="Banners (images)")


class BannerOut(Schema):
    id = fields.Integer()
    name = fields.String()
    mime = fields.String()
    width = fields.Integer(metadata={"description": "of the image as uploaded, in pixels"})
    height = fields.Integer()
    fit = fields.String(metadata={"description": "how the board shows it: one of " + ", ".join(FITS)})
    sha256 = fields.String()
    size = fields.Integer(metadata={"description": "bytes of the image"})
    created_at = instant()
    version = fields.String(metadata={"description": "send it back with an update (see PATCH)"})


class BannerSaved(BannerOut, Published):
    """A changed banner and the boards it was published to."""


def banner_json(banner: Banner) -> dict[str, Any]:
    """What the API says about a banner (never the bytes: those have their own URL)."""
    return {
        "id": banner.id,
        "name": banner.name,
        "mime": banner.mime,
        "width": banner.width,
        "height": banner.height,
        "fit": banner.fit,
        "sha256": banner.sha256,
        "size": len(banner.data),
        "created_at": as_utc(banner.created_at),
        "version": banner_version(banner),
    }


def _banner(banner_id: int) -> Banner:
    return get_db().get(Banner, banner_id) or no_such("banner", banner_id)


@blp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> tuple[dict[str, Any], int]:
    """An upload over MAX_CONTENT_LENGTH: JSON like every API error (the admin's page is HTML)."""
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    return {
        "code": 413,
        "status": "Payload Too Large",
        "message": _("the upload is larger than %(mb)d MB; nothing was saved", mb=limit),
    }, 413


@blp.route("/banners")
class Banners(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, BannerOut(many=True))
    @errors(blp)
    def get(self) -> list[dict[str, Any]]:
        """Every banner, newest first."""
        return [banner_json(b) for b in get_db().scalars(select(Banner).order_by(Banner.id.desc()))]

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(BannerUpload, location="multipart")
    @blp.response(201, BannerOut, description="a new banner")
    @blp.alt_response(
        200,
        schema=BannerOut,
        success=True,
        description="the same image was already here: that banner, unchanged",
    )
    @errors(blp, 413)
    def post(self, form: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Upload an image (multipart ``image``), checked like the admin's upload; not yet in a playlist."""
        try:
            banner, created = service.upload_banner(get_db(), form["name"], form["image"].read(), form["fit"])
        except InvalidInput as exc:
            problems: dict[str, list[str]] = {}
            for problem in exc.problems:
                problems.setdefault(problem.field, []).append(say(problem))
            refuse(problems, location="multipart")
        return banner_json(banner), 201 if created else 200


@blp.route("/banners/<id:banner_id>")
class BannerById(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, BannerOut)
    @errors(blp, 404)
    def get(self, banner_id: int) -> dict[str, Any]:
        """One banner's metadata."""
        return banner_json(_banner(banner_id))

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(BannerPatch)
    @blp.response(200, BannerSaved)
    @errors(blp, 404, 409)
    def patch(self, data: dict[str, Any], banner_id: int) -> dict[str, Any]:
        """Rename a banner or change how it fits the board; boards playing it get the change."""
        banner = _banner(banner_id)
        change = BannerChange(data.get("name"), data.get("fit"))
        with answered(named("banner", banner_id)):
            service.update_banner(get_db(), banner, change, version=data["version"])
        return {**banner_json(banner), **publish_report()}

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404)
    def delete(self, banner_id: int) -> None:
        """Move a banner to the bin ("Thùng rác"): every playlist skips it, and it can be
        restored for 30 days (``POST /api/bin/banner/<id>/restore``); the boards are told."""
        banner = _banner(banner_id)
        with answered(named("banner", banner_id)):
            service.delete_banner(get_db(), banner)
        publish_report()


@blp.route("/banners/<id:banner_id>/image")
class BannerImage(MethodView):
    @token_required("viewer")
    @blp.doc(
        security=SECURITY,
        responses={
            "200": {
                "description": "the image exactly as uploaded",
                "content": {
                    m: {"schema": {"type": "string", "format": "binary"}}
                    for m in ("image/png", "image/jpeg", "image/gif", "image/webp")
                },
            }
        },
    )
    @errors(blp, 404)
    def get(self, banner_id: int) -> Response:
        """The uploaded image's bytes, with its type."""
        banner = _banner(banner_id)
        return Response(
            banner.data,
            mimetype=banner.mime,
            headers={"Content-Disposition": f'inline; filename="banner-{banner.id}"', "ETag": banner.sha256},
        )
