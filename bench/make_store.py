"""Write a synthetic fact store of N entities, with the schema of the bundled facts.json.

Usage: python bench/make_store.py N OUT.json [--like STORE.json]

The store is for timing start-up and lookups at sizes the real article never reaches, so
its shape follows facts.json (docs/SCHEMA.md) and its content is made up:

* one province, Shanxi, holding counties, which hold townships, which hold villages
  (`located_in` chains three deep), plus companies located in townships or counties and
  people whose `role` names one of those companies;
* the township "Xinghuacun" (id `xinghuacun`) and the company "Xinghuacun Fenjiu Group"
  (id `fenjiu`, alias "Fenjiu") at every size, so that the same lookups run everywhere;
* one to three facts per entity (two on average), figures and claims over the metric
  vocabulary of the real store, which is copied as it is;
* records with the keys of the real store's records, in its order: a key added to the
  schema that this file does not know yet is written as null (see `conform`).

Everything is drawn from `random.Random(N)`: the same N always gives the same file. Names
are made of pinyin syllables and every name stem is used once, so names are unique per
kind, aliases never collide (the loader rejects that) and no lookup key is shared. Stems
that contain "xing", "hua" or "fenjiu" are refused: no synthetic place can then tie with
Xinghuacun for the misspelling "Xinghuacn" (a tie would make that lookup ambiguous, and
the benchmark would time an error instead of a fuzzy match).

Quotes are invented and are not in the article: the loader does not look for them there,
only `verify` does.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
REAL_STORE = REPO / "facts.json"
SOURCE_FILE = "seeds/000_66a258308dcbbee7.txt"
DOCUMENT_ID = "synthetic"
NO_GENERAL_KNOWLEDGE: dict[str, Any] = {"kind": False, "aliases": []}
MIN_ENTITIES = 10


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SYLLABLES = _words(
    "an bai bao bei bin bo cai cang chang chen cheng chun da dai dan de ding dong fang feng "
    "fu gan gao ge gong guan guo hai han he heng hong hu hui jia jian jiang jin jing kang lan "
    "le li lian liang lin ling liu long lu luo ma mei ming nan ning pan ping qi qian qiao qing "
    "qiu quan rong shan shang shao shen sheng shi shou shu shui song tai tang tian tong wan "
    "wang wei wen wu xi xia xian xiang xin xu ya yan yang yao ye yi yin ying yong you yu yuan "
    "yue yun zhang zhao zhen zheng zhong zhou zhu"
)
SURNAMES = _words(
    "Wang Li Zhang Liu Chen Yang Zhao Zhou Wu Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng "
    "Liang Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye "
    "Cheng Wei Su Lu Ding Ren Shen Yao Jin Qin Bai"
)
INDUSTRIES = (
    "Technology",
    "Fruits",
    "Vinegar",
    "Coal",
    "Steel",
    "Glassware",
    "Machinery",
    "Papermaking",
    "Textiles",
    "Foods",
    "Ceramics",
    "Logistics",
    "Casting",
    "Magnesium",
    "Millet",
    "Agriculture",
)
KNOWN_FOR = (
    "flange casting",
    "glassware production",
    "mature vinegar",
    "fruit growing",
    "cattle farming",
    "rural tourism",
    "millet and grain processing",
    "coal chemicals",
    "concrete admixtures",
    "papermaking",
)
TITLES = ("chairman", "general manager", "deputy general manager", "founder", "head of sales")
# Lookup keys no synthetic name may contain (see the module docstring).
FORBIDDEN_IN_KEY = ("xing", "hua", "fenjiu")
RESERVED_KEYS = frozenset({"shanxi", "xinghuacun", "fenjiu"})

# Units for the metrics of the real store; any other figure counts its own name.
MONEY_METRICS = frozenset(
    {"output-value", "export-value", "investment", "fund", "per-capita-income", "price"}
)
PERCENT_METRICS = frozenset({"output-growth", "output-share", "rd-share"})
TONNAGE_METRICS = frozenset({"output-volume", "export-volume"})
YEAR_METRICS = frozenset({"recorded-history"})
QUALIFIERS = ("exact", "exact", "exact", "more than", "about", "plus", "up to", "less than")
STATUSES = ("reported", "reported", "reported", "reported", "expected", "target", "pledge")
# A period's words, and its year, whether that year is inferred, and why (schema 2).
INFERRED = "an inference: a synthetic article read as appearing in 2023"
PERIODS: dict[str, tuple[int | None, bool, str | None]] = {
    "in 2022": (2022, False, None),
    "last year": (2022, True, f"2022 \N{EM DASH} {INFERRED}"),
    "first five months of 2023": (2023, False, None),
    "past 10 months": (None, False, None),
    "this year": (2023, True, f"2023 \N{EM DASH} {INFERRED}"),
}
SCOPES = ("cattle farming", "the entire industry chain", "farm produce sales", "fruit exports")
CLAIM_WORDS = (
    "a leading production base in the province",
    "among the top 10 in China",
    "the first in Shanxi to export to Europe",
    "recognized as a provincial characteristic town",
    "a pillar industry of the county",
    "growing fast thanks to innovation",
)

# Metrics used when the real store cannot be read (it may be mid-edit).
FALLBACK_METRICS: list[dict[str, Any]] = [
    {
        "id": "jobs",
        "name": "jobs",
        "aliases": ["employment", "workforce"],
        "type": "figure",
        "description": "jobs created, or people working in an activity",
    },
    {
        "id": "output-value",
        "name": "output value",
        "aliases": ["output", "gdp"],
        "type": "figure",
        "description": "value of goods produced in a year or period, in yuan",
    },
    {
        "id": "output-growth",
        "name": "output growth",
        "aliases": ["growth"],
        "type": "figure",
        "description": "percentage change in output value",
    },
    {
        "id": "ranking",
        "name": "ranking",
        "aliases": ["rank"],
        "type": "claim",
        "description": "a place or company's standing",
    },
    {
        "id": "statement",
        "name": "statement",
        "aliases": ["claim"],
        "type": "claim",
        "description": "what the article says of it",
    },
]


def read_real_store(path: Path) -> dict[str, Any] | None:
    """The store to copy metrics and record shapes from, or None if it cannot be read
    (it may be mid-edit); the generator then uses its own metrics and shapes."""
    try:
        store = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"make_store: not copying from {path}: {error}", file=sys.stderr)
        return None
    return store if isinstance(store, dict) else None


def real_metrics(real: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The real store's metric vocabulary, or a small built-in one."""
    metrics = real.get("metrics") if real else None
    if isinstance(metrics, list) and metrics and all(isinstance(m, dict) for m in metrics):
        return [dict(metric) for metric in metrics]
    return [dict(metric) for metric in FALLBACK_METRICS]


def real_shapes(real: dict[str, Any] | None) -> dict[str, list[str]]:
    """For each list of records, the keys of the real store's first record, in order."""
    shapes: dict[str, list[str]] = {}
    for key, value in (real or {}).items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            shapes[key] = list(value[0])
    return shapes


def conform(records: list[dict[str, Any]], keys: list[str] | None, what: str) -> None:
    """Give generated records the real store's keys, in its order.

    The schema is still being edited (a fact's `scope` arrived recently): a key the real
    store has and this generator does not know is added as null, and a key it no longer
    has is dropped, each with a note on stderr, so the store keeps loading."""
    if not keys or not records:
        return
    known = set(records[0])
    added = [key for key in keys if key not in known]
    dropped = sorted(known - set(keys))
    if added or dropped:
        print(
            f"make_store: {what}: following facts.json, added {added or 'nothing'} as null, "
            f"dropped {dropped or 'nothing'}",
            file=sys.stderr,
        )
    for index, record in enumerate(records):
        records[index] = {key: record.get(key) for key in keys}


class StemSource:
    """Unique pinyin name stems: two syllables while they last, then three, then four."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set(RESERVED_KEYS)

    def take(self) -> str:
        while True:
            count = len(self._used)
            length = 2
            while count >= len(SYLLABLES) ** length // 4:
                length += 1
            stem = "".join(self._rng.choice(SYLLABLES) for _ in range(length))
            if stem in self._used or any(bad in stem for bad in FORBIDDEN_IN_KEY):
                continue
            self._used.add(stem)
            return stem.capitalize()


def split_counts(n: int) -> dict[str, int]:
    """How many entities of each kind besides the province, for a store of n entities.

    Xinghuacun counts as one of the townships and Fenjiu as one of the companies."""
    rest = n - 1
    counts = {
        "county": max(1, rest * 3 // 100),
        "township": max(1, rest * 10 // 100),
        "company": max(1, rest * 15 // 100),
        "person": max(1, rest * 15 // 100),
    }
    counts["village"] = rest - sum(counts.values())
    return counts


def place(
    entity_id: str, kind: str, name: str, parent: dict[str, Any] | None, rng: random.Random
) -> dict[str, Any]:
    known_for = []
    if rng.random() < 0.5:
        text = rng.choice(KNOWN_FOR)
        known_for.append({"text": text, "quote": f"{name} is known for {text}"})
    return {
        "id": entity_id,
        "kind": kind,
        "name": name,
        "aliases": [f"{name} {kind}"],
        "general_knowledge": NO_GENERAL_KNOWLEDGE,
        "document": DOCUMENT_ID,
        "quote": f"The {kind} of {name}",
        "located_in": (
            {"id": parent["id"], "quote": f"{name}, a {kind} in {parent['name']}"}
            if parent
            else None
        ),
        "known_for": known_for,
        "role": None,
    }


def fixed_xinghuacun(county: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "xinghuacun",
        "kind": "township",
        "name": "Xinghuacun",
        "aliases": ["Xinghua Cun", "Xinghuacun township"],
        "general_knowledge": {"kind": False, "aliases": ["Xinghua Cun"]},
        "document": DOCUMENT_ID,
        "quote": "One prime example is the township of Xinghuacun",
        "located_in": {
            "id": county["id"],
            "quote": f"the township of Xinghuacun in {county['name']} county",
        },
        "known_for": [
            {
                "text": "white liquor (baijiu) production, home to nationally renowned brands",
                "quote": "It is one of the leading production sites of white liquor in Shanxi",
            }
        ],
        "role": None,
    }


def fixed_fenjiu() -> dict[str, Any]:
    return {
        "id": "fenjiu",
        "kind": "company",
        "name": "Xinghuacun Fenjiu Group",
        "aliases": ["Xinghuacun Fenjiu", "Fenjiu", "Fenjiu Group"],
        "general_knowledge": NO_GENERAL_KNOWLEDGE,
        "document": DOCUMENT_ID,
        "quote": "The town's white liquor, or baijiu, industry is represented by "
        "Xinghuacun Fenjiu Group",
        "located_in": {
            "id": "xinghuacun",
            "quote": "The town's white liquor, or baijiu, industry is represented by "
            "Xinghuacun Fenjiu Group",
        },
        "known_for": [
            {
                "text": "white liquor (baijiu) production",
                "quote": "Xinghuacun Fenjiu Group, which is among the leading baijiu producers",
            }
        ],
        "role": None,
    }


def make_entities(n: int, rng: random.Random) -> list[dict[str, Any]]:
    counts = split_counts(n)
    stems = StemSource(rng)
    province = {
        "id": "shanxi",
        "kind": "province",
        "name": "Shanxi",
        "aliases": ["Shanxi province"],
        "general_knowledge": NO_GENERAL_KNOWLEDGE,
        "document": DOCUMENT_ID,
        "quote": "economic engines across Shanxi province",
        "located_in": None,
        "known_for": [],
        "role": None,
    }
    counties = []
    for _ in range(counts["county"]):
        stem = stems.take()
        counties.append(place(stem.lower(), "county", stem, province, rng))
    townships = []
    xinghuacun_at = rng.randrange(counts["township"])
    for index in range(counts["township"]):
        if index == xinghuacun_at:
            townships.append(fixed_xinghuacun(rng.choice(counties)))
            continue
        stem = stems.take()
        townships.append(place(stem.lower(), "township", stem, rng.choice(counties), rng))
    villages = []
    for _ in range(counts["village"]):
        stem = stems.take()
        villages.append(place(stem.lower(), "village", stem, rng.choice(townships), rng))
    homes = townships + counties  # companies are in a township or a county
    companies = []
    fenjiu_at = rng.randrange(counts["company"])
    for index in range(counts["company"]):
        if index == fenjiu_at:
            companies.append(fixed_fenjiu())
            continue
        companies.append(company(stems.take(), rng.choice(homes), rng))
    people = [person(stems.take(), rng.choice(companies), rng) for _ in range(counts["person"])]
    return [province, *counties, *townships, *villages, *companies, *people]


def company(stem: str, home: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    industry = rng.choice(INDUSTRIES)
    name = f"{stem} {industry}"
    return {
        "id": stem.lower(),
        "kind": "company",
        "name": name,
        "aliases": [stem],
        "general_knowledge": NO_GENERAL_KNOWLEDGE,
        "document": DOCUMENT_ID,
        "quote": f"{name}, based in {home['name']}",
        "located_in": {"id": home["id"], "quote": f"{name}, based in {home['name']}"},
        "known_for": [{"text": industry.lower(), "quote": f"{name} makes {industry.lower()}"}],
        "role": None,
    }


def person(given: str, employer: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    surname = rng.choice(SURNAMES)
    name = f"{surname} {given}"
    title = rng.choice(TITLES)
    return {
        "id": f"{surname.lower()}-{given.lower()}",
        "kind": "person",
        "name": name,
        "aliases": [f"{given} {surname}"],
        "general_knowledge": NO_GENERAL_KNOWLEDGE,
        "document": DOCUMENT_ID,
        "quote": f"said {name}, {title} of {employer['name']}",
        "located_in": None,
        "known_for": [],
        "role": {
            "title": title,
            "organisation": employer["id"],
            "quote": f"{name}, {title} of {employer['name']}",
        },
    }


def figure(metric: dict[str, Any], rng: random.Random) -> tuple[int | float, str, str, str]:
    """A value, its unit code, the unit's words, and the words a quote would print it with."""
    metric_id = metric["id"]
    if metric_id in MONEY_METRICS:
        value = rng.randrange(1, 5000) * 10**6
        return value, "CNY", "yuan", f"{value / 10**6:,.0f} million yuan"
    if metric_id in PERCENT_METRICS:
        percent = round(rng.uniform(0.5, 60.0), 1)
        return percent, "%", "percent", f"{percent} percent"
    if metric_id in TONNAGE_METRICS:
        tons = rng.randrange(100, 500000)
        return tons, "t", "metric tons", f"{tons:,} metric tons"
    if metric_id in YEAR_METRICS:
        years = rng.randrange(50, 4000)
        return years, "year", "years", f"{years:,} years"
    count = rng.randrange(2, 50000)
    return count, "count", metric["name"], f"{count:,} {metric['name']}"


def make_facts(
    entities: list[dict[str, Any]], metrics: list[dict[str, Any]], rng: random.Random
) -> list[dict[str, Any]]:
    people = [entity["id"] for entity in entities if entity["kind"] == "person"]
    facts: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    for entity in entities:
        for _ in range(rng.choice((1, 2, 3))):
            metric = rng.choice(metrics)
            fact_id = f"{entity['id']}.{metric['id']}"
            repeat = 2
            while fact_id in used_ids:
                fact_id = f"{entity['id']}.{metric['id']}-{repeat}"
                repeat += 1
            used_ids.add(fact_id)
            period = rng.choice(list(PERIODS)) if rng.random() < 0.7 else None
            value: int | float | str
            unit: str | None
            unit_words: str | None
            usd: int | None
            if metric["type"] == "figure":
                value, unit, unit_words, words = figure(metric, rng)
                qualifier = rng.choice(QUALIFIERS)
                usd = round(value / 7) if unit == "CNY" and rng.random() < 0.2 else None
                quote = f"{entity['name']} reported {qualifier} {words}"
            else:
                value, unit, qualifier, usd = rng.choice(CLAIM_WORDS), None, "exact", None
                unit_words = None
                quote = f"{entity['name']} is {value}"
            if period:
                quote += f" {period}"
            located = entity["located_in"]
            facts.append(
                {
                    "id": fact_id,
                    "document": DOCUMENT_ID,
                    "subject": entity["id"],
                    "metric": metric["id"],
                    "value": value,
                    "unit": unit,
                    "unit_as_stated": unit_words,
                    "qualifier": qualifier,
                    "usd_as_stated": usd,
                    "period": period_record(period) if period else None,
                    "status": rng.choice(STATUSES),
                    "attributed_to": (
                        rng.choice(people) if people and rng.random() < 0.2 else None
                    ),
                    "related": [located["id"]] if located and rng.random() < 0.3 else [],
                    "scope": rng.choice(SCOPES) if rng.random() < 0.2 else None,
                    "note": "Synthetic fact for benchmarking." if rng.random() < 0.1 else None,
                    "quote": quote,
                }
            )
    return facts


def period_record(words: str) -> dict[str, Any]:
    year, inferred, reading = PERIODS[words]
    return {
        "as_stated": words,
        "reading": reading,
        "year": year,
        "date": None,
        "inferred": inferred,
    }


def make_store(n: int, real: dict[str, Any] | None = None) -> dict[str, Any]:
    """A whole store of n entities, shaped like `real`; the same n gives the same store."""
    if n < MIN_ENTITIES:
        raise ValueError(f"a synthetic store needs at least {MIN_ENTITIES} entities, not {n}")
    rng = random.Random(n)
    metrics = real_metrics(real)
    entities = make_entities(n, rng)
    assert len(entities) == n, (len(entities), n)
    facts = make_facts(entities, metrics, rng)
    shapes = real_shapes(real)
    conform(entities, shapes.get("entities"), "entities")
    conform(facts, shapes.get("facts"), "facts")
    return {
        "schema_version": 2,
        "documents": [
            {
                "id": DOCUMENT_ID,
                "file": SOURCE_FILE,
                "title": f"Synthetic store of {n:,} entities (benchmark data, not the article)",
                "date": None,
            }
        ],
        "stories": [
            {
                "id": "s1",
                "document": DOCUMENT_ID,
                "headline": "Synthetic story for benchmarking",
                "deck": None,
                "byline": "By BENCH",
            }
        ],
        "metrics": metrics,
        "entities": entities,
        "facts": facts,
        "excluded_figures": [
            {
                "document": DOCUMENT_ID,
                "figure": "16th",
                "context": "the 16th Pingxingguan Cultural Tourism Festival",
                "reason": "Synthetic store: kept only so that the key is not empty.",
            }
        ],
    }


def dump_store(store: dict[str, Any]) -> str:
    """The store as JSON text, one record a line: readable, and written by the C encoder
    (`indent` would switch json to its pure-Python encoder, ten times slower at 100,000)."""

    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts = []
    for key, value in store.items():
        if isinstance(value, list) and value:
            rows = ",\n  ".join(one(item) for item in value)
            parts.append(f" {one(key)}: [\n  {rows}\n ]")
        else:
            parts.append(f" {one(key)}: {one(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_store(n: int, out: Path, like: Path = REAL_STORE) -> Path:
    """Generate and write the store; returns `out`. Written beside and renamed, so a
    reader never sees half a store."""
    text = dump_store(make_store(n, read_real_store(like)))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help=f"number of entities (at least {MIN_ENTITIES})")
    parser.add_argument("out", type=Path, help="where to write the store")
    parser.add_argument(
        "--like",
        type=Path,
        default=REAL_STORE,
        help="store whose metrics and record keys to copy (default: the bundled facts.json)",
    )
    args = parser.parse_args(argv)
    if args.n < MIN_ENTITIES:
        parser.error(f"N must be at least {MIN_ENTITIES}")
    write_store(args.n, args.out, args.like)
    print(f"wrote {args.out} ({args.n:,} entities, {args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
