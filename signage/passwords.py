"""The password rule, one for every way a password is set: the Users page, a user's own
change, ``signage create-user`` and ``SIGNAGE_ADMIN_PASSWORD``.

At least ``MIN_LENGTH`` characters, not the username, and not one of the passwords people
pick first (a short list: guessing from the office LAN tries those before anything else).
"""

from __future__ import annotations

import unicodedata

from signage.rules import N_, InvalidInput

MIN_LENGTH = 10
#: Passwords of 10 characters or more that lists of leaked passwords put near the top, plus
#: the obvious ones of this place. Compared without case, spaces or Vietnamese marks.
COMMON = frozenset(
    {
        "1234567890",
        "0123456789",
        "12345678910",
        "123456789a",
        "1234567890a",
        "0987654321",
        "1111111111",
        "0000000000",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "qwerty1234",
        "qwerty12345",
        "asdfghjkl1",
        "zxcvbnm123",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou12",
        "abc1234567",
        "abcd123456",
        "abcdefghij",
        "aaaaaaaaaa",
        "administrator",
        "admin12345",
        "admin123456",
        "adminadmin",
        "letmein123",
        "welcome123",
        "changeme123",
        "matkhau123",
        "matkhau1234",
        "matkhaumoi",
        "matkhaucuatoi",
        "toilatoi123",
        "vietnam123",
        "vietnam1234",
        "hanoi12345",
        "saigon1234",
        "kontum1234",
        "kontum12345",
        "cuakhau123",
        "bangdientu",
        "bangdientu1",
        "signage123",
        "signage1234",
        "anhyeuem123",
        "emyeuanh123",
        "superman12",
        "football12",
        "baseball12",
        "sunshine12",
        "princess12",
        "trustno1234",
        "dragon1234",
        "monkey1234",
        "master1234",
    }
)


def _plain(text: str) -> str:
    """Lower case, without spaces or marks: how a password is compared with the list."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace()).lower()


def check_password(password: str, username: str, field: str = "password") -> str:
    """``password`` when it may be used by ``username``; else ``InvalidInput`` saying why."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(field, N_("A password needs at least %(min)d characters."), min=MIN_LENGTH)
    plain = _plain(password)
    if username and plain in (_plain(username), _plain(username)[::-1]):
        raise InvalidInput(field, N_("A password may not be the username."))
    if plain in COMMON or len(set(plain)) <= 2:
        raise InvalidInput(field, N_("This password is among the first ones guessed; choose another."))
    return password
