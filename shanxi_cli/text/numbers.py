"""Numbers read from the environment: what looks like a number must be one.

`str.isdigit()` accepts "²" and "٣", which `int()` refuses or reads unexpectedly, and
`int()` refuses more than 4,300 digits; a variable such as COLUMNS may hold any of them.
"""

# More digits than any width, height or byte count needs: a longer value is not a number
# this program uses, and never reaches int().
MAX_DIGITS = 18


def plain_int(text: str | None) -> int | None:
    """The value of a string of ASCII digits (spaces around allowed); None for anything else."""
    if text is None:
        return None
    text = text.strip()
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def env_flag(text: str | None) -> bool:
    """A boolean variable: unset, empty, 0, false, no and off are false; anything else true."""
    return (text or "").strip().lower() not in ("", "0", "false", "no", "off")
