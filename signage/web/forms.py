"""Flask-WTF forms (CSRF on every POST); field checks delegate to ``signage.rules``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    FloatField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from drivers import PROTOCOLS
from drivers.pixels import COLOR_MODELS
from signage import rules
from signage.models import EFFECTS


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Choices of a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def rule(check: Callable[[Any], Any]) -> Callable[[FlaskForm, Any], None]:
    """A WTForms validator from a rules check; the cleaned value replaces the raw one."""

    def validate(_form: FlaskForm, field: Any) -> None:
        try:
            field.data = check(field.data)
        except rules.InvalidInput as exc:
            raise ValidationError(exc.message) from None

    return validate


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Mật khẩu", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Đăng nhập")


class SloganForm(FlaskForm):
    # No length cap on the raw field: rules.slogan_text says how long it is and what fits.
    text = TextAreaField("Nội dung khẩu hiệu", validators=[rule(rules.slogan_text)])
    effect = SelectField("Hiệu ứng", choices=list(EFFECTS), default="auto",
                         validators=[rule(rules.effect)])
    speed = IntegerField("Tốc độ (px/giây)", default=32, validators=[InputRequired(), rule(rules.speed)])
    color = StringField("Màu", default="#ff0000", validators=[rule(rules.color)])
    playlist = SelectField("Thêm vào danh sách phát", coerce=int, default=0)
    duration = FloatField("Thời lượng (giây)", default=10, validators=[InputRequired(), rule(rules.duration)])
    submit = SubmitField("Lưu")


class BoardForm(FlaskForm):
    slug = StringField("Mã bảng (slug)", validators=[rule(rules.board_slug)])
    name = StringField("Tên bảng", validators=[DataRequired(), Length(max=120)])
    width = IntegerField("Chiều rộng (px)", validators=[InputRequired()])
    height = IntegerField("Chiều cao (px)", validators=[InputRequired()])
    color = SelectField("Màu", choices=list(COLOR_MODELS), default="mono")
    protocol = SelectField("Giao thức", choices=list(PROTOCOLS), default="native",
                           validators=[rule(rules.protocol)])
    port_url = StringField("Cổng (thiết bị hoặc URL pyserial)", validators=[rule(rules.port_url)])
    baud = SelectField("Tốc độ baud", coerce=int, choices=options((b, str(b)) for b in rules.BAUD_RATES),
                       default=115200, validators=[rule(rules.baud)])
    address = IntegerField("Địa chỉ RS-485", default=1, validators=[InputRequired()])
    playlist = SelectField("Danh sách phát", coerce=int, default=0)
    submit = SubmitField("Lưu")

    def validate_width(self, field: Any) -> None:
        """Size is checked as a whole: the message names the side that is wrong."""
        try:
            rules.board_geometry(self.width.data, self.height.data, self.color.data)
        except rules.InvalidInput as exc:
            if exc.field in ("width", "size", "color"):
                raise ValidationError(exc.message) from None

    def validate_height(self, field: Any) -> None:
        try:
            rules.board_geometry(self.width.data, self.height.data, self.color.data)
        except rules.InvalidInput as exc:
            if exc.field == "height":
                raise ValidationError(exc.message) from None

    def validate_address(self, field: Any) -> None:
        if field.data is None or not 0 <= field.data <= 254:
            raise ValidationError("address must be 0..254")


class PlaylistForm(FlaskForm):
    name = StringField("Tên danh sách phát", validators=[DataRequired(), Length(max=120)])
    submit = SubmitField("Tạo")


class AddItemForm(FlaskForm):
    slogan = SelectField("Khẩu hiệu", coerce=int)
    duration = FloatField("Thời lượng (giây)", default=10, validators=[InputRequired(), rule(rules.duration)])
    submit = SubmitField("Thêm")


class ActionForm(FlaskForm):
    """A button that POSTs (delete, move): only the CSRF token."""

    optional = StringField(validators=[Optional()])
