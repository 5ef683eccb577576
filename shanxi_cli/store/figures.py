"""A figure as a reader says it, from the fact's value, unit and qualifier."""

from shanxi_cli.store.records import Fact


def display_value(fact: Fact) -> str:
    """The figure as a reader says it: "more than 50,000 jobs", "about 20.15 billion yuan",
    "16th Pingxingguan Cultural Tourism Festival", "top 3 exporters"."""
    if isinstance(fact.value, str):
        return fact.value
    number = readable_number(fact.value, money=fact.unit in ("CNY", "USD", "USD/lb"))
    if fact.unit == "CNY":
        text = f"{number} yuan"
    elif fact.unit == "USD":
        text = f"${number}"
    elif fact.unit == "USD/lb":
        text = f"${number} per pound"
    elif fact.unit == "%":
        text = f"{number}%"
    elif fact.unit == "ordinal":
        text = f"{_ordinal(number)} {fact.unit_as_stated or ''}".rstrip()
    elif fact.unit == "top":
        text = f"top {number} {fact.unit_as_stated or ''}".rstrip()
    else:
        text = f"{number} {fact.unit_as_stated or ''}".rstrip()
    if fact.qualifier == "plus":
        text = text.replace(number, f"{number}-plus", 1)
    elif fact.qualifier != "exact":
        text = f"{fact.qualifier} {text}"
    if fact.usd_as_stated is not None:
        text += f" (${readable_number(fact.usd_as_stated, money=True)} as stated)"
    if fact.scope:
        text += f" \N{EM DASH} {fact.scope}"
    return text


def readable_number(value: int | float, *, money: bool = False) -> str:
    """Digits with thousands separators; large sums in millions or billions."""
    if money:
        for scale, word in ((10**9, "billion"), (10**6, "million")):
            if abs(value) >= scale:
                return f"{_trimmed(value / scale)} {word}"
    return _trimmed(value)


def _trimmed(number: int | float) -> str:
    # Six decimals absorb float noise (27920000000 / 1e9); the article prints at most two.
    text = f"{number:,.6f}".rstrip("0").rstrip(".")
    if text in ("0", "-0"):
        # Not "0%" for 4e-07 %, nor "-0" for a tiny negative or -0.0.
        return "0" if number == 0 else f"{number:.2g}"
    return text


def _ordinal(number: str) -> str:
    """ "16" -> "16th", "3" -> "3rd", "11" -> "11th"."""
    if not number.replace(",", "").isdigit():
        return number
    last_two = int(number[-2:])
    suffix = "th" if 11 <= last_two <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(last_two % 10, "th")
    return number + suffix
