"""API for slogans and playlists: list, read, write, and playlist items."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select

from signage.models import Playlist, Slogan
from signage.services import content as service
from signage.services import playlists
from signage.services.content import SloganData
from signage.services.playlists import Timing
from signage.web.api import SECURITY
from signage.web.api.auth import token_required
from signage.web.api.helpers import answered, errors, named, no_such
from signage.web.api.schemas import (
    ItemIn,
    PlaylistOut,
    PlaylistSaved,
    Query,
    SloganIn,
    SloganOut,
    SloganSaved,
    SloganUpdate,
)
from signage.web.concurrency import fingerprint
from signage.web.db import get_db
from signage.web.publishing import publish_report

blp = Blueprint("api_content", __name__, url_prefix="/api", description="Slogans and playlists")


def _slogan(slogan_id: int) -> Slogan:
    return get_db().get(Slogan, slogan_id) or no_such("slogan", slogan_id)


def _playlist(playlist_id: int) -> Playlist:
    return get_db().get(Playlist, playlist_id) or no_such("playlist", playlist_id)


def _with_report(obj: object, schema: type, report: dict[str, Any]) -> dict[str, Any]:
    """The saved object's fields (left for the response schema to dump) and what was published."""
    dumped = {name: getattr(obj, name) for name in schema().fields if name != "version"}
    return {**dumped, "version": fingerprint(obj), **report}


@blp.route("/slogans")
class Slogans(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.arguments(Query, location="query")
    @blp.response(200, SloganOut(many=True))
    def get(self, args: dict[str, Any]) -> list[Slogan]:
        """Slogans, newest first; ``q`` filters by text."""
        query = select(Slogan).order_by(Slogan.id.desc()).limit(args["limit"])
        if args["q"]:
            query = query.where(func.lower(Slogan.text).contains(args["q"].lower()))
        return list(get_db().scalars(query))

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(SloganIn)
    @blp.response(201, SloganOut)
    def post(self, data: dict[str, Any]) -> Slogan:
        """Write a slogan (not yet in any playlist)."""
        with answered():
            return service.save_slogan(get_db(), _slogan_data(data))


@blp.route("/slogans/<id:slogan_id>")
class SloganById(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, SloganOut)
    def get(self, slogan_id: int) -> Slogan:
        """One slogan."""
        return _slogan(slogan_id)

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(SloganUpdate)
    @blp.response(200, SloganSaved)
    @errors(blp, 404, 409)
    def put(self, data: dict[str, Any], slogan_id: int) -> dict[str, Any]:
        """Replace a slogan's text and style; boards playing it get the new version.

        Send back the ``version`` you read: if someone changed the slogan since, nothing is saved (409).
        """
        slogan = _slogan(slogan_id)
        with answered(named("slogan", slogan_id)):
            service.save_slogan(get_db(), _slogan_data(data), slogan, version=data["version"])
        return _with_report(slogan, SloganOut, publish_report())

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404)
    def delete(self, slogan_id: int) -> None:
        """Move a slogan to the bin ("Thùng rác"): every playlist skips it, and it can be
        restored for 30 days (``POST /api/bin/slogan/<id>/restore``)."""
        slogan = _slogan(slogan_id)
        with answered(named("slogan", slogan_id)):
            service.delete_slogan(get_db(), slogan)
        publish_report()


def _slogan_data(data: dict[str, Any]) -> SloganData:
    return SloganData(data["text"], data["effect"], data["speed"], data["color"], data["source"])


@blp.route("/playlists")
class Playlists(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, PlaylistOut(many=True))
    def get(self) -> list[Playlist]:
        """Every playlist with its items in order."""
        return list(get_db().scalars(select(Playlist).order_by(Playlist.name)))


@blp.route("/playlists/<id:playlist_id>")
class PlaylistById(MethodView):
    @token_required("viewer")
    @blp.doc(security=SECURITY)
    @blp.response(200, PlaylistOut)
    def get(self, playlist_id: int) -> Playlist:
        """One playlist with its items in order."""
        return _playlist(playlist_id)

    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, playlist_id: int) -> None:
        """Move a playlist to the bin ("Thùng rác"); it can be restored for 30 days
        (``POST /api/bin/playlist/<id>/restore``). Refused (409) while a schedule plays it or
        a board falls back to it, saying which."""
        playlist = _playlist(playlist_id)
        with answered(named("playlist", playlist_id)):
            playlists.delete_playlist(get_db(), playlist)
        publish_report()


@blp.route("/playlists/<id:playlist_id>/items")
class PlaylistItems(MethodView):
    @token_required("editor")
    @blp.doc(security=SECURITY)
    @blp.arguments(ItemIn)
    @blp.response(201, PlaylistSaved)
    def post(self, data: dict[str, Any], playlist_id: int) -> dict[str, Any]:
        """Add a slogan at the end of a playlist and publish the boards that play it."""
        playlist = _playlist(playlist_id)
        _slogan(data["slogan_id"])  # 404 when there is no such slogan
        with answered():
            playlists.add_item(
                get_db(), playlist, "slogan", data["slogan_id"], Timing(data["duration"], "seconds")
            )
        return _with_report(playlist, PlaylistOut, publish_report(playlist.id))
