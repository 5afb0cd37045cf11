"""Flask-WTF forms (CSRF on every POST); field checks delegate to ``signage.rules``.

Every form of the admin derives from ``Form``, so WTForms' own messages are said in the
user's language too (``signage.web.form_language``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from babel.support import NullTranslations, Translations
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from drivers import PROTOCOLS
from drivers.pixels import COLOR_MODELS, DEFAULT_PITCH_MM, DEFAULT_VIEWING_M
from signage import rules
from signage.models import EFFECTS
from signage.render.banner import FITS
from signage.schemas.records import NAME_LIMIT
from signage.web.words import COLOR_WORDS, EFFECT_WORDS, FIT_WORDS, LED_WORDS, PROTOCOL_WORDS


class Form(FlaskForm):
    """The base of our forms: WTForms' messages come from our catalog, in the session's language.

    WTForms ships no Vietnamese and Flask-WTF's ``WTF_I18N_ENABLED`` only reads WTForms'
    bundled catalogs, so ``Meta.get_translations`` (WTForms' hook for this) is answered here
    for every form at once; see ``signage.web.form_language`` for why this route.
    """

    class Meta:
        def get_translations(self, form: FlaskForm) -> Translations | NullTranslations:
            return get_translations()


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Choices of a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def translate(exc: rules.InvalidInput) -> str:
    """The rule's message in the user's language (its English template is the message id)."""
    return _(exc.template, **exc.params)


def rule(check: Callable[[Any], Any]) -> Callable[[FlaskForm, Any], None]:
    """A WTForms validator from a rules check; the cleaned value replaces the raw one."""

    def validate(_form: FlaskForm, field: Any) -> None:
        try:
            field.data = check(field.data)
        except rules.InvalidInput as exc:
            raise ValidationError(translate(exc)) from None

    return validate


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class SloganForm(Form):
    # No rule validators: the service (signage.services.content) checks every rule and each
    # problem is shown under the field it names.
    text = TextAreaField(_l("Slogan text"))
    effect = SelectField(
        _l("Effect"), choices=options((e, EFFECT_WORDS.get(e, e)) for e in EFFECTS), default="auto"
    )
    speed = IntegerField(_l("Speed (px/s)"), default=32, validators=[InputRequired()])
    color = StringField(_l("Colour"), default="#ff0000")
    source = StringField(_l("Source document (e.g. KH 17/KH-BQLKKT)"), default="")
    playlist = SelectField(_l("Add to playlist"), coerce=int, default=0)
    duration = FloatField(_l("Duration (s)"), default=10, validators=[InputRequired()])
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))


class BoardForm(Form):
    slug = StringField(_l("Board slug"), validators=[rule(rules.board_slug)])
    name = StringField(_l("Board name"), validators=[DataRequired(), Length(max=NAME_LIMIT)])
    width = IntegerField(_l("Width (px)"), validators=[InputRequired()])
    height = IntegerField(_l("Height (px)"), validators=[InputRequired()])
    color = SelectField(
        _l("Colour"), choices=options((c, COLOR_WORDS.get(c, c)) for c in COLOR_MODELS), default="mono"
    )
    led_color = SelectField(
        _l("LED colour (one-colour boards)"), default="#ff2810", choices=options(LED_WORDS.items())
    )
    protocol = SelectField(
        _l("Protocol"),
        choices=options((p, PROTOCOL_WORDS.get(p, p)) for p in PROTOCOLS),
        default="native",
        validators=[rule(rules.protocol)],
    )
    port_url = StringField(_l("Port (device or pyserial URL)"), validators=[rule(rules.port_url)])
    baud = SelectField(
        _l("Baud rate"),
        coerce=int,
        choices=options((b, str(b)) for b in rules.BAUD_RATES),
        default=115200,
        validators=[rule(rules.baud)],
    )
    address = IntegerField(_l("RS-485 address"), default=1, validators=[InputRequired()])
    # not sent (an older form, a script): the default; sent empty or not a number: refused
    pitch_mm = FloatField(_l("Pixel pitch (mm)"), default=DEFAULT_PITCH_MM, validators=[rule(rules.pitch_mm)])
    viewing_m = FloatField(
        _l("Viewing distance (m)"), default=DEFAULT_VIEWING_M, validators=[rule(rules.viewing_m)]
    )
    playlist = SelectField(_l("Playlist"), coerce=int, default=0)
    base_version = HiddenField()
    submit = SubmitField(_l("Save"))

    def validate_width(self, field: Any) -> None:
        """Size is checked as a whole: the message names the side that is wrong."""
        try:
            rules.board_geometry(self.width.data, self.height.data, self.color.data)
        except rules.InvalidInput as exc:
            if exc.field in ("width", "size", "color"):
                raise ValidationError(translate(exc)) from None

    def validate_height(self, field: Any) -> None:
        try:
            rules.board_geometry(self.width.data, self.height.data, self.color.data)
        except rules.InvalidInput as exc:
            if exc.field == "height":
                raise ValidationError(translate(exc)) from None

    def validate_address(self, field: Any) -> None:
        if field.data is None or not 0 <= field.data <= 254:
            raise ValidationError(_("the address must be 0..254"))


class BannerForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_LIMIT)])
    image = FileField(
        _l("Image"),
        validators=[
            FileRequired(),
            FileAllowed(["png", "jpg", "jpeg", "gif", "webp"], _l("PNG, JPEG, GIF or WebP only.")),
        ],
    )
    fit = SelectField(_l("Fit"), choices=options((f, FIT_WORDS.get(f, f)) for f in FITS), default="fit")
    submit = SubmitField(_l("Upload"))


class PlaylistForm(Form):
    name = StringField(_l("Playlist name"), validators=[DataRequired(), Length(max=NAME_LIMIT)])
    submit = SubmitField(_l("Create"))


#: How a playlist item ends: after a number of seconds, or after complete passes of its scroll.
TIMING_UNITS = options((("seconds", _l("seconds")), ("passes", _l("passes"))))


class ItemTimingForm(Form):
    """How long a playlist item plays: ``amount`` seconds or ``amount`` passes.

    The playlist page draws many of these by hand (one per item), so the fields carry no
    labels; the service (``signage.services.playlists``) checks the amount for the unit.
    """

    amount = FloatField(_l("Plays for"), validators=[InputRequired(_l("Say how long the item plays."))])
    unit = SelectField(_l("Unit"), choices=TIMING_UNITS, default="seconds")
    base_version = HiddenField()


class AddItemForm(ItemTimingForm):
    kind = SelectField(choices=options((("slogan", "slogan"), ("banner", "banner"))))
    content_id = IntegerField(validators=[InputRequired()])


class _SameMarkup:
    """A hidden field that renders its markup once per value.

    A list page repeats ``{{ action.csrf_token }}{{ action.base_version }}`` in every row's
    buttons; WTForms builds the same ``<input>`` anew each time (about 50 us), which was a
    third of the playlist page. Rendering with arguments is left alone.
    """

    _rendered: tuple[Any, Markup] | None = None

    def __call__(self, **kwargs: Any) -> Markup:
        if kwargs:
            return super().__call__(**kwargs)  # type: ignore[misc]
        value = self._value()  # type: ignore[attr-defined]
        if self._rendered is None or self._rendered[0] != value:
            self._rendered = (value, super().__call__())  # type: ignore[misc]
        return self._rendered[1]


class _SameMarkupToken(_SameMarkup, CSRFTokenField):
    pass


class _SameMarkupHidden(_SameMarkup, HiddenField):
    pass


class _SameMarkupCSRF(FlaskForm.Meta.csrf_class):
    field_class = _SameMarkupToken


class ActionForm(Form):
    """A button that POSTs (delete, move): only the CSRF token (and the version seen)."""

    class Meta:
        csrf_class = _SameMarkupCSRF

    optional = StringField(validators=[Optional()])
    base_version = _SameMarkupHidden()
