"""Words and names a board line never breaks inside: the shipped list, and the staff's own
list they add to here (``words.txt`` in the instance folder, see signage/render/words.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug import Response
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired

from signage.render import RenderError
from signage.render.words import add_staff_word, shipped_entries, staff_entries, use_instance
from signage.web.access import role_required
from signage.web.forms import Form
from signage.web.messages import say

bp = Blueprint("words", __name__, url_prefix="/words")
# the previews and this page read the staff's list in the app's own instance folder
bp.record_once(lambda state: use_instance(state.app.config["INSTANCE"]))


class WordForm(Form):
    word = StringField(_l("Word or name (2 to 8 syllables)"), validators=[DataRequired()])
    submit = SubmitField(_l("Add"))


def _page(form: WordForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "words/index.html", form=form, staff=staff_entries(), shipped=shipped_entries()
    ), status


@bp.route("/", methods=["GET", "POST"])
@role_required("editor")
def index() -> tuple[str, int] | Response:
    form = WordForm()
    if not form.validate_on_submit():
        return _page(form, 422 if form.errors else 200)
    try:
        added = add_staff_word(form.word.data)
    except RenderError as exc:
        form.word.errors.append(say(exc))
        return _page(form, 422)
    except OSError:
        form.word.errors.append(_("The list of words cannot be written on this computer; nothing was saved."))
        return _page(form, 500)
    flash(_("Added: lines will not break inside it.") if added else _("It is already listed."), "info")
    return redirect(url_for("words.index"))
