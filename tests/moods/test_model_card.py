"""ml_weights/MODEL_CARD.md describes the weights file beside it: its metadata header parses, and
the version (sha256) and size it names are those of the shipped file, so new weights cannot ship
with an old card."""

import hashlib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CARD = ROOT / "ml_weights" / "MODEL_CARD.md"
WEIGHTS = ROOT / "ml_weights" / "mood_cnn.pt"
SECTIONS = ("Model details", "Intended use", "Out of scope", "Factors and limitations", "Training data",
            "Training procedure", "Evaluation", "Results", "Speed", "Caveats and recommendations", "Citations")


def _card() -> tuple[dict, str]:
    text = CARD.read_text()
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, "the card starts with a YAML metadata header between --- lines"
    return yaml.safe_load(match.group(1)), text[match.end():]


def test_the_metadata_header_names_licence_datasets_metrics_and_results():
    meta, _ = _card()
    assert meta["license"]
    assert {"fer2013", "ferplus"} <= set(meta["datasets"])
    assert {"accuracy", "f1"} <= set(meta["metrics"])
    results = meta["model-index"][0]["results"]
    assert {result["dataset"]["type"] for result in results} == {"fer2013", "ferplus"}
    for result in results:
        assert all(0 < metric["value"] < 1 for metric in result["metrics"])


def test_the_card_has_the_model_card_sections():
    _, body = _card()
    headings = re.findall(r"^#{2,3} (.+)$", body, re.M)
    assert [name for name in SECTIONS if name not in headings] == []


def test_the_card_names_the_shipped_weights_by_sha256_and_size():
    _, body = _card()
    data = WEIGHTS.read_bytes()
    assert hashlib.sha256(data).hexdigest() in body
    assert f"{len(data):,}-byte file" in body
