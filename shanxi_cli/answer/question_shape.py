"""The shape of a question: what kind of answer its question words ask for.

"who" asks for a person, "where" for a place, "when" for a date, "how many" for a
figure, "in dollars" for the dollar figure, "which ... most" for the top of a ranking,
"target" for a fact whose status is not "reported". The words that only say the shape
("how", "many", "where") are returned apart, so they do not also count as content.
"""

from itertools import pairwise
from typing import NamedTuple

from shanxi_cli.text.words import STOPWORDS

WHO = "who"
SAID = "said"
WHEN = "when"
WHERE = "where"
AMOUNT = "how_many"
DURATION = "how_long"
MOST = "most"
STATUS = "status"
MONEY = "money"
MAKES = "makes"

# fmt: off
_WHO = frozenset({"who", "whom", "whose", "chairman", "head", "chief", "boss", "leader",
                  "executive", "manager", "director", "official", "spokesman",
                  "spokesperson", "heads"})
# Verbs a role answers ("who runs Yinsheng"), which ask for a person only beside "who":
# "Shanxi leads output of which crops" asks for crops.
_ROLE_VERBS = frozenset({"runs", "leads"})
# A person's role asked for by its name: "what is Ma Yunxia's job?" ("how many jobs" is
# a figure, not a role).
_ROLE = frozenset({"job", "role", "position", "title", "post", "occupation"})
_SAID = frozenset({"said", "says", "say", "saying", "quoted", "told", "stated", "according",
                   "claimed", "claims", "believes", "thinks", "view", "opinion", "report",
                   "reported", "reports", "announced", "announce", "mentioned"})
_WHEN = frozenset({"when", "date", "day", "month", "year"})
_WHERE = frozenset({"where", "located", "location", "situated", "lies"})
_RANK = frozenset({"rank", "ranks", "ranked", "ranking", "stand", "stands"})
_AMOUNT = frozenset({"many", "much", "number", "amount", "figure", "count", "size"})
_DURATION_AFTER_HOW = frozenset({"long", "old"})
_DURATION = frozenset({"decades", "decade", "centuries", "century", "consecutive", "ago"})
_MOST = frozenset({"most", "largest", "biggest", "highest", "greatest", "top", "leading",
                   "best", "maximum", "more", "larger", "bigger", "higher"})
# Superlatives that rank even in keywords ("largest output value"); "top" and "leading"
# are also the article's own words for rankings, so they rank only after "which".
_SUPERLATIVE = frozenset({"most", "largest", "biggest", "highest", "greatest"})
_STATUS = frozenset({"target", "targets", "goal", "goals", "aim", "aims", "expected",
                     "expect", "expects", "plan", "plans", "planned", "pledge", "pledged",
                     "promise", "promised", "will", "future", "forecast", "projected"})
_MAKING = frozenset({"make", "makes", "made", "produce", "produces", "produced", "grow",
                     "grows", "sell", "sells", "manufacture", "manufactures"})
_MAKES = _MAKING | frozenset({"known", "famous", "specialty", "speciality", "specialise",
                              "specialize", "specialises", "specializes"})
# Words that ask what something makes as nouns ("its specialty"), and before a noun
# only describe it ("specialty towns").
_KIND_OF = frozenset({"specialty", "speciality", "famous", "known"})
# Words that ask what something makes even without "what": "yinsheng products".
_PRODUCTS = frozenset({"product", "products", "goods", "specialties", "specialities"})
# A sum of money asked for without naming a currency: "how much money", "how much cash".
_MONEY = frozenset({"money", "cash", "fund", "funds", "funding", "spend", "spending",
                    "spent", "cost", "costs", "worth", "budget", "invest", "invested",
                    "earn", "earned", "earnings", "revenue", "income", "price", "paid",
                    "pay", "sum", "yuan", "rmb", "cny", "renminbi", "dollar", "dollars",
                    "usd"})
_DOLLARS = frozenset({"dollar", "dollars", "usd"})
_YUAN = frozenset({"yuan", "rmb", "cny", "renminbi"})
# fmt: on
_ASKING = {
    WHO: _WHO | _ROLE_VERBS,
    SAID: _SAID,
    WHEN: _WHEN,
    WHERE: _WHERE,
    AMOUNT: _AMOUNT,
    DURATION: _DURATION,
    MOST: _MOST,
    STATUS: _STATUS,
    MAKES: _MAKES | _PRODUCTS,
}


def asking_words(shape: str) -> frozenset[str]:
    """The words that ask for a shape: a question's answer of that shape answers them too
    ("runs" in "who runs Yinsheng" is answered by a role)."""
    return _ASKING.get(shape, frozenset())


class Shape(NamedTuple):
    asks: frozenset[str]  # WHO, WHEN ... : what the question words ask for
    dollars: bool  # "in dollars", "USD"
    yuan: bool
    products: bool  # "make", "produce", "products": what a maker makes, not all it is known for
    shape_words: frozenset[str]  # the words that only said the shape


def shape_of(typed: list[str]) -> Shape:
    """The shape of a question from its folded words."""
    asks: set[str] = set()
    said: set[str] = set()
    pairs = set(pairwise(typed))
    # "specialty towns" names the towns; "its specialty" asks what it makes.
    present = set(typed) - {
        first for first, then in pairs if first in _KIND_OF and then not in STOPWORDS
    }
    if present & {"who", "whom", "whose"}:
        asks.add(WHO)
        said |= present & {"who", "whom", "whose"}
    elif present & _WHO or (present & (_ROLE - {"does"}) and not present & _AMOUNT):
        asks.add(WHO)
    if present & _SAID:
        asks.add(SAID)
    if present & _WHEN or ("what", "year") in pairs or ("which", "year") in pairs:
        asks.add(WHEN)
        said |= present & {"when"}
    # "Where does Fenjiu rank?" asks for a rank, not a place.
    if present & _WHERE and not present & _RANK:
        asks.add(WHERE)
        said |= present & {"where", "located", "situated", "location"}
    if ("how", "many") in pairs or ("how", "much") in pairs or present & _AMOUNT:
        asks.add(AMOUNT)
        said |= present & {"how", "many", "much"}
    if any(("how", word) in pairs for word in _DURATION_AFTER_HOW) or ("since", "when") in pairs:
        asks.add(DURATION)
        said |= present & ({"how", "since", "when"} | _DURATION_AFTER_HOW)
    if present & _DURATION:
        asks.add(DURATION)
    # "How many years has Yuncheng been the biggest exporter?" asks how many, not which
    # is biggest: a superlative ranks only when the question asks for nothing else.
    ranks = present & _SUPERLATIVE or (present & _MOST and present & {"which", "what"})
    if ranks and not asks & {WHO, WHEN, WHERE, AMOUNT, DURATION}:
        asks.add(MOST)
        said |= present & _MOST
    if present & _MONEY:
        asks.add(MONEY)
    if present & _STATUS:
        asks.add(STATUS)
    if (present & _MAKES and present & {"what", "which"}) or present & _PRODUCTS:
        asks.add(MAKES)
    dollars = bool(present & _DOLLARS)
    products = MAKES in asks and bool(present & (_MAKING | _PRODUCTS))
    return Shape(frozenset(asks), dollars, bool(present & _YUAN), products, frozenset(said))
