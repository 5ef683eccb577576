"""The one escaping function for text meant for people, whatever its source.

Store text, queries, file names and library messages all reach a terminal through
`visible`: control, format (bidirectional overrides, zero-width) and line-separator
characters, and unpaired surrogates, are shown as backslash escapes, so no string can
move the cursor, open a link, reverse a line or end a record early.
"""

import re


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """The text with every unprintable character shown escaped (newlines kept if asked)."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or (keep_newlines and char == "\n") else _escaped(char)
        for char in text
    )


def _escaped(char: str) -> str:
    code = ord(char)
    if char in "\t\n\r":
        return repr(char)[1:-1]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def json_inert(document_text: str) -> str:
    """JSON text with control, format, separator and surrogate characters as \\u escapes.

    json.dumps(ensure_ascii=False) leaves these raw inside strings; escaped, the document
    parses to the same strings but cannot drive a terminal it is shown on.
    """
    return _JSON_UNSAFE.sub(_json_escape, document_text)


_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\U000e0000-\U000e007f]"
)


def _json_escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def brief(text: str, limit: int = 80) -> str:
    """Text as a message quotes it: whole up to `limit`, else cut short; a crafted
    store's or argument's megabyte of text must not become a megabyte of error."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
