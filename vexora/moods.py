"""The mood vocabulary, defined once: the four moods, their labels, and the recommendation
strategies. Plain Python (no Django, no torch) at the bottom of the import graph, so the model
package (moods/ml), every app, the templates and the tests derive from it.
"""

from __future__ import annotations

# The order of stats, charts, docs and API listings.
MOODS: tuple[str, ...] = ("happy", "sad", "angry", "neutral")
# The CNN's output order (class index i is MODEL_CLASSES[i]); fixed by the trained weights.
MODEL_CLASSES: tuple[str, ...] = tuple(sorted(MOODS))

MOOD_LABELS: dict[str, str] = {"happy": "Happy", "sad": "Sad", "angry": "Angry", "neutral": "Neutral (calm)"}
MOOD_EMOJI: dict[str, str] = {"happy": "😊", "sad": "😢", "angry": "😠", "neutral": "😐"}

# How a list of tracks relates to the mood.
STRATEGIES: tuple[str, ...] = ("match", "uplift")
STRATEGY_LABELS: dict[str, str] = {"match": "Match the mood", "uplift": "Lift the mood"}
STRATEGY_HELP: dict[str, str] = {
    "match": "tracks that match the mood",
    "uplift": "start at the mood, move toward happier",
}
# For happy and neutral, "uplift" is the same as "match".
UPLIFT_MOODS: tuple[str, ...] = ("sad", "angry")
