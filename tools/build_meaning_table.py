"""Compile the word-meaning table `ask` reads: shanxi_cli/answer/meaning.sqlite.

Run by a developer, never by the tool: `pip install wordllama==0.4.0.post1
pyspellchecker==0.9.1` then `python tools/build_meaning_table.py`. Both are MIT-licensed
and served by PyPI; neither is needed to run `shanxi`.

- The language model is WordLlama's `l2_supercat` static token embeddings (shipped in its
  wheel), truncated to DIMENSIONS (its Matryoshka training keeps the first dimensions
  meaningful). A word's vector is the sum of its tokens' embeddings, as WordLlama pools
  a text: the vector of a text is then the sum of its words' vectors, computed by
  `shanxi` without the model, numpy or a tokenizer.
- The English words are pyspellchecker's English frequency list: every word in it is an
  English word (`ask` never "corrects" one), and the VECTOR_WORDS most frequent, plus
  every word of the bundled store, get a vector.
"""

import gzip
import json
import sqlite3
import sys
from array import array
from pathlib import Path

import numpy as np
import spellchecker
import wordllama
from safetensors import safe_open
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shanxi_cli.answer.candidates import candidates  # noqa: E402
from shanxi_cli.store.json_store import load_store  # noqa: E402
from shanxi_cli.text.words import words  # noqa: E402

DIMENSIONS = 64
VECTOR_WORDS = 50_000
TABLE = ROOT / "shanxi_cli" / "answer" / "meaning.sqlite"


def load_model() -> tuple[Tokenizer, np.ndarray]:
    # WordLlama.load() looks for the tokenizer in a folder its wheel does not have and
    # then downloads it; the file is in the wheel, under tokenizers/.
    package = Path(wordllama.__file__).parent
    tokenizer = Tokenizer.from_file(str(package / "tokenizers/l2_supercat_tokenizer_config.json"))
    with safe_open(str(package / "weights/l2_supercat_256.safetensors"), "np") as weights:
        embedding = weights.get_tensor("embedding.weight")[:, :DIMENSIONS].astype(np.float64)
    return tokenizer, embedding


def english_words() -> list[str]:
    """pyspellchecker's English words, most frequent first, folded as `shanxi` folds."""
    path = Path(spellchecker.__file__).parent / "resources" / "en.json.gz"
    with gzip.open(path) as packed:
        counts: dict[str, int] = json.loads(packed.read())
    found: dict[str, None] = {}
    for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        folded = words(word)
        if len(folded) == 1 and folded[0].isalpha():
            found.setdefault(folded[0])
    return list(found)


def store_words() -> list[str]:
    store = load_store(ROOT / "facts.json")
    found: dict[str, None] = {}
    for candidate in candidates(store):
        for _, text in candidate.fields:
            found.update(dict.fromkeys(words(text)))
    return list(found)


def quantised(vector: np.ndarray) -> tuple[float, bytes]:
    scale = float(np.abs(vector).max()) / 127 or 1.0
    return scale, array("b", np.round(vector / scale).astype(np.int8).tolist()).tobytes()


def main() -> None:
    tokenizer, embedding = load_model()
    english = english_words()
    with_vectors = dict.fromkeys(english[:VECTOR_WORDS] + store_words())
    TABLE.unlink(missing_ok=True)
    db = sqlite3.connect(TABLE)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
    db.execute(
        "CREATE TABLE words (word TEXT PRIMARY KEY, english INTEGER NOT NULL,"
        " scale REAL, vector BLOB) WITHOUT ROWID"
    )
    english_set = set(english)
    rows = []
    for word in dict.fromkeys([*with_vectors, *english]):
        scale, blob = None, None
        if word in with_vectors:
            ids = tokenizer.encode(word, add_special_tokens=False).ids
            scale, blob = quantised(embedding[ids].sum(axis=0))
        rows.append((word, int(word in english_set), scale, blob))
    db.executemany("INSERT INTO words VALUES (?, ?, ?, ?)", rows)
    meta = {
        "model": "wordllama l2_supercat (token embeddings), first dimensions",
        "model_version": wordllama.__version__ if hasattr(wordllama, "__version__") else "0.4",
        "dimensions": str(DIMENSIONS),
        "english_words": "pyspellchecker en.json.gz",
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(
        f"{TABLE}: {len(rows)} words, {len(with_vectors)} with vectors,"
        f" {TABLE.stat().st_size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
