"""Fitting the track mood model (``manage.py fit_track_moods``): people's mood labels joined to the
catalog, a held-out split, cross-validated model choice, calibration, export to JSON.

Needs scikit-learn (requirements-dev.txt); the product itself only reads the exported JSON
(``music.track_moods``, numpy). See docs/music.md for the method and the figures.
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from music.catalog import read_rows
from music.normalise import artist_key, artist_keys, base_title, is_other_recording
from music.track_moods import FEATURES, MODEL_FORMAT, TrackMoodModel
from vexora.moods import MOODS

SOURCE_DIR = Path("music_moods") / "sources"
# The people-labelled sources (the lexicon-on-lyrics ``MoodyLyrics`` set is deliberately not read).
SOURCES = ("MoodyLyrics4Q", "Deezer", "PMEmo")
LABEL_TO_MOOD = {"happy": "happy", "sad": "sad", "angry": "angry", "relaxed": "neutral"}
CALM_MOODS = ("happy", "sad", "neutral")  # the agreement figure: happy / sad / calm tracks
# The rule the recommender used before this model: the nearest (valence, energy) target.
NEAREST_TARGETS = {"happy": (0.85, 0.80), "sad": (0.15, 0.25), "angry": (0.20, 0.88), "neutral": (0.65, 0.30)}
# Candidate settings of the gradient-boosted stumps, chosen by cross-validation on the training part.
# Stumps (one split per tree) add up to an additive model: one step function per feature and mood,
# small, fast to evaluate, flat beyond the data (no wild extrapolation to sleep or noise tracks).
GRID = (
    {"learning_rate": 0.05, "max_iter": 150, "min_samples_leaf": 40},
    {"learning_rate": 0.05, "max_iter": 300, "min_samples_leaf": 40},
    {"learning_rate": 0.05, "max_iter": 300, "min_samples_leaf": 80},
    {"learning_rate": 0.1, "max_iter": 300, "min_samples_leaf": 40},
    {"learning_rate": 0.05, "max_iter": 600, "min_samples_leaf": 80},
)
L2 = 1.0
FOLDS = 5


# --- People's labels joined to the catalog ---------------------------------------------------
@dataclass
class SourceSong:
    source: str
    artist: str
    title: str
    mood: str  # one of MOODS


def read_sources(datasets: Path) -> list[SourceSong]:
    """The three people-labelled sources as (artist, title, mood). Deezer's z-scored valence and
    arousal and PMEmo's 0-1 ratings become Russell quadrants: the sign of each (Deezer) or a 0.5
    cut (PMEmo), as in the datasets' README."""
    folder = Path(datasets) / SOURCE_DIR
    songs = []
    for row in _csv(folder / "MoodyLyrics4Q.csv"):
        songs.append(SourceSong("MoodyLyrics4Q", row["artist"], row["title"], LABEL_TO_MOOD[row["mood"]]))
    for split in ("train", "validation", "test"):
        for row in _csv(folder / f"deezer_{split}.csv"):
            mood = _quadrant(float(row["valence"]), float(row["arousal"]), 0.0)
            songs.append(SourceSong("Deezer", row["artist_name"], row["track_name"], mood))
    ratings = {row["musicId"]: row for row in _csv(folder / "pmemo2019_static_annotations.csv")}
    for row in _csv(folder / "pmemo2019_metadata.csv"):
        rating = ratings.get(row["musicId"])
        if rating is not None:
            mood = _quadrant(float(rating["Valence(mean)"]), float(rating["Arousal(mean)"]), 0.5)
            songs.append(SourceSong("PMEmo", row["artist"], row["title"], mood))
    return songs


def _quadrant(valence: float, arousal: float, middle: float) -> str:
    if valence > middle:
        return "happy" if arousal > middle else "neutral"
    return "angry" if arousal > middle else "sad"


def _csv(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class LabelledTracks:
    rows: list[dict]                                  # catalog rows (raw strings) with "mood" and "sources"
    matched: Counter = field(default_factory=Counter)  # source -> songs matched
    read: Counter = field(default_factory=Counter)     # source -> songs read
    disagreeing: int = 0                               # catalog songs dropped: their sources disagree


def labelled_tracks(*, sources: list[SourceSong], catalog_path: Path | str) -> LabelledTracks:
    """Each source song matched to the catalog's shown songs (``duplicate_of`` empty) on artist and
    base title (``music.normalise``); a plain recording is preferred over a remix/live/acoustic one,
    which is taken only when it is the only match. A catalog song keeps its label when every source
    that names it agrees."""
    index: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in read_rows(catalog_path):
        if row.get("duplicate_of"):
            continue
        title = base_title(row["name"])
        for key in artist_keys(row["artist"]):
            index[(key, title)].append(row)
    result = LabelledTracks(rows=[])
    labels: dict[str, dict] = {}
    for song in sources:
        result.read[song.source] += 1
        title = base_title(song.title)
        candidates = {row["id"]: row for key in artist_keys(song.artist) for row in index.get((key, title), ())}
        plain = [row for row in candidates.values() if not is_other_recording(row["name"])]
        chosen = plain or list(candidates.values())
        if chosen:
            result.matched[song.source] += 1
        for row in chosen:
            entry = labels.setdefault(row["id"], {"row": row, "moods": set(), "sources": set()})
            entry["moods"].add(song.mood)
            entry["sources"].add(song.source)
    for entry in labels.values():
        if len(entry["moods"]) > 1:
            result.disagreeing += 1
            continue
        result.rows.append({**entry["row"], "mood": next(iter(entry["moods"])),
                            "sources": "+".join(sorted(entry["sources"]))})
    result.rows.sort(key=lambda row: row["id"])
    return result


# --- A sanity check on the whole catalog (genres are not mood labels) --------------------------
CHECK_GENRES = ("sleep", "ambient", "new-age", "classical", "piano", "study", "chill", "acoustic", "sad", "romance",
                "jazz", "death-metal", "grindcore", "party", "dance", "latin", "pop", "rock", "hip-hop")


def genre_check(*, catalog_path: Path | str, model: TrackMoodModel, genres=CHECK_GENRES) -> dict[str, dict]:
    """For some catalog genres: how many shown songs, and the share whose likeliest mood is each
    mood, by the model and by the nearest-target rule (``"old"``). Not a measure of accuracy (a
    genre is not a mood), a look at where each puts whole kinds of music that the labelled songs
    hardly cover."""
    rows = [row for row in read_rows(catalog_path) if not row.get("duplicate_of")]
    X = model.matrix(rows)
    likeliest = model.probabilities(X)[:, [model.classes.index(mood) for mood in MOODS]].argmax(axis=1)
    nearest = nearest_target_scores(X).argmax(axis=1)
    result = {}
    for genre in genres:
        mask = np.array([genre in row["genres"].split(",") for row in rows])
        if mask.any():
            counts = np.bincount(likeliest[mask], minlength=len(MOODS)) / mask.sum()
            old = np.bincount(nearest[mask], minlength=len(MOODS)) / mask.sum()
            result[genre] = {"songs": int(mask.sum()), **{mood: float(counts[k]) for k, mood in enumerate(MOODS)},
                             "old": {mood: float(old[k]) for k, mood in enumerate(MOODS)}}
    return result


# --- Metrics (numpy only) --------------------------------------------------------------------
def evaluate(probabilities: np.ndarray, labels: np.ndarray) -> dict:
    """Accuracy, macro-F1 and the confusion matrix over the four moods (rows: people's label,
    columns: predicted, both in MOODS order), and the happy/sad/calm agreement: for tracks people
    labelled happy, sad or relaxed, the argmax among happy/sad/neutral (plain and class-balanced)."""
    predicted = probabilities.argmax(axis=1)
    confusion = np.zeros((len(MOODS), len(MOODS)), dtype=int)
    np.add.at(confusion, (labels, predicted), 1)
    f1 = []
    for k in range(len(MOODS)):
        true_positive = confusion[k, k]
        precision = true_positive / confusion[:, k].sum() if confusion[:, k].sum() else 0.0
        recall = true_positive / confusion[k].sum() if confusion[k].sum() else 0.0
        f1.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    columns = [MOODS.index(mood) for mood in CALM_MOODS]
    mask = np.isin(labels, columns)
    three = np.array(columns)[probabilities[mask][:, columns].argmax(axis=1)]
    truth = labels[mask]
    recalls = [float((three[truth == k] == k).mean()) for k in columns if (truth == k).any()]
    return {
        "tracks": int(len(labels)),
        "accuracy": float((predicted == labels).mean()),
        "macro_f1": float(np.mean(f1)),
        "f1": dict(zip(MOODS, (float(value) for value in f1))),
        "confusion": confusion.tolist(),
        "calm_tracks": int(mask.sum()),
        "calm_agreement": float((three == truth).mean()) if mask.any() else math.nan,
        "calm_agreement_balanced": float(np.mean(recalls)) if recalls else math.nan,
    }


def nearest_target_scores(X: np.ndarray) -> np.ndarray:
    """The old rule as scores (minus the distance to each mood's valence/energy target)."""
    valence, energy = X[:, FEATURES.index("valence")], X[:, FEATURES.index("energy")]
    return np.stack([-np.hypot(valence - NEAREST_TARGETS[mood][0], energy - NEAREST_TARGETS[mood][1])
                     for mood in MOODS], axis=1)


# --- Fitting ---------------------------------------------------------------------------------
def feature_matrix(rows: list[dict]) -> np.ndarray:
    """Raw feature matrix (NaN where a value is missing)."""
    def number(value):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return math.nan
        return number if math.isfinite(number) else math.nan
    return np.array([[number(row.get(name)) for name in FEATURES] for row in rows], dtype=np.float64)


@dataclass
class FitResult:
    model: dict                 # the JSON document written to music/data/track_moods.json
    cv: list[dict]              # per candidate setting: its mean cross-validation figures
    chosen: dict
    held_out: dict              # the shipped model on the held-out split
    held_out_old_rule: dict     # the nearest-target rule on the same tracks
    cv_chosen: dict             # the chosen setting's out-of-fold figures (training part)
    cv_old_rule: dict


def fit_track_moods(*, rows: list[dict], seed: int = 0, grid=GRID, folds: int = FOLDS) -> FitResult:
    """Held-out split (a fifth of the artists, stratified by mood), cross-validated choice among
    ``grid`` on the rest (grouped by artist, classes weighted), temperature calibration on the
    out-of-fold scores, and a final fit on the whole training part (the model that ships: the
    held-out figures are those of the shipped model)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedGroupKFold
    from sklearn.utils.class_weight import compute_sample_weight

    X = feature_matrix(rows)
    y = np.array([MOODS.index(row["mood"]) for row in rows])
    groups = np.array([artist_key(row["artist"]) for row in rows])
    split = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    train, test = next(split.split(X, y, groups))
    medians = np.nanmedian(X[train], axis=0)
    medians = np.where(np.isnan(medians), 0.0, medians)
    X = np.where(np.isnan(X), medians, X)

    def make(setting):
        return HistGradientBoostingClassifier(max_depth=1, l2_regularization=L2, random_state=seed,
                                              early_stopping=False, **setting)

    def out_of_fold(setting):
        scores = np.zeros((len(train), len(MOODS)))
        inner = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed + 1)
        for fit_part, check_part in inner.split(X[train], y[train], groups[train]):
            model = make(setting)
            model.fit(X[train][fit_part], y[train][fit_part],
                      sample_weight=compute_sample_weight("balanced", y[train][fit_part]))
            scores[check_part] = model._raw_predict(X[train][check_part])
        return scores

    cv, best = [], None
    for setting in grid:
        scores = out_of_fold(setting)
        figures = evaluate(_softmax(scores), y[train])
        cv.append({"setting": setting, **_summary(figures)})
        key = (figures["calm_agreement_balanced"], figures["macro_f1"])
        if best is None or key > best[0]:
            best = (key, setting, scores, figures)
    _, chosen, oof_scores, cv_chosen = best
    temperature = _temperature(oof_scores, y[train])

    final = make(chosen)
    final.fit(X[train], y[train], sample_weight=compute_sample_weight("balanced", y[train]))
    document = export_model(final, medians=medians, temperature=temperature)
    shipped = TrackMoodModel.from_dict(document)
    if not np.allclose(shipped.raw_scores(X[test]), final._raw_predict(X[test]), atol=1e-4):
        raise AssertionError("the exported step functions do not reproduce scikit-learn's scores")
    held_out = evaluate(shipped.probabilities(X[test]), y[test])
    held_out_old = evaluate(_softmax(nearest_target_scores(X[test]) * 10), y[test])
    cv_old = evaluate(_softmax(nearest_target_scores(X[train]) * 10), y[train])
    document["fit"] = {
        "labels": {mood: int((y == MOODS.index(mood)).sum()) for mood in MOODS},
        "train_tracks": int(len(train)), "held_out_tracks": int(len(test)),
        "setting": chosen, "l2_regularization": L2, "seed": seed, "temperature": temperature,
        "cv": _summary(cv_chosen), "held_out": _summary(held_out), "held_out_old_rule": _summary(held_out_old),
    }
    return FitResult(model=document, cv=cv, chosen=chosen, held_out=held_out, held_out_old_rule=held_out_old,
                     cv_chosen=cv_chosen, cv_old_rule=cv_old)


def _summary(figures: dict) -> dict:
    return {key: (round(value, 4) if isinstance(value, float) else value) for key, value in figures.items()
            if key in ("tracks", "accuracy", "macro_f1", "calm_tracks", "calm_agreement", "calm_agreement_balanced")}


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def _temperature(scores: np.ndarray, labels: np.ndarray) -> float:
    """The temperature minimising the class-balanced negative log-likelihood of the out-of-fold
    scores (probabilities calibrated for an even mix of the four moods; the argmax is unchanged)."""
    weights = np.array([1.0 / (labels == k).sum() for k in range(len(MOODS))])[labels]

    def loss(temperature):
        probabilities = _softmax(scores / temperature)
        return float(-(weights * np.log(probabilities[np.arange(len(labels)), labels] + 1e-12)).sum())

    candidates = np.exp(np.linspace(np.log(0.25), np.log(4.0), 241))
    return round(float(min(candidates, key=loss)), 4)


def export_model(classifier, *, medians: np.ndarray, temperature: float) -> dict:
    """A fitted HistGradientBoostingClassifier of stumps (``max_depth=1``; classes 0..3 = MOODS)
    as the JSON document that ``music.track_moods`` evaluates: the stumps on each feature folded
    into one step function (a value per mood between consecutive thresholds)."""
    if list(classifier.classes_) != list(range(len(MOODS))):
        raise ValueError("the classifier must be fit on every mood")
    stumps = defaultdict(list)  # feature -> (threshold, class, left value, right value)
    baseline = np.asarray(classifier._baseline_prediction, dtype=np.float64).ravel().copy()
    for iteration in classifier._predictors:
        for class_index, predictor in enumerate(iteration):
            nodes = predictor.nodes
            if len(nodes) == 1:  # a tree that could not split: a constant
                baseline[class_index] += float(nodes["value"][0])
                continue
            if len(nodes) != 3 or nodes["is_categorical"].any():
                raise ValueError("only stumps (max_depth=1, numeric features) can be exported")
            root = nodes[0]
            stumps[int(root["feature_idx"])].append((float(root["num_threshold"]), class_index,
                                                     float(nodes[root["left"]]["value"]),
                                                     float(nodes[root["right"]]["value"])))
    steps = {}
    for column, name in enumerate(FEATURES):
        thresholds = sorted({stump[0] for stump in stumps.get(column, ())})
        values = np.zeros((len(thresholds) + 1, len(MOODS)))
        for threshold, class_index, left, right in stumps.get(column, ()):
            position = thresholds.index(threshold)  # bins 0..position hold values <= threshold
            values[:position + 1, class_index] += left
            values[position + 1:, class_index] += right
        if thresholds:
            steps[name] = {"thresholds": thresholds, "values": [[round(v, 6) for v in row] for row in values]}
    return {
        "format": MODEL_FORMAT,
        "classes": list(MOODS),
        "features": list(FEATURES),
        "impute": {name: float(value) for name, value in zip(FEATURES, medians)},
        "baseline": [round(float(v), 6) for v in baseline],
        "temperature": temperature,
        "steps": steps,
    }
