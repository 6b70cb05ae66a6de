"""The mood vocabulary, defined once: the four moods, their labels, and the recommendation
strategies. Plain Python (no Django, no torch) at the bottom of the import graph, so the model
package (moods/ml), every app, the templates and the tests derive from it.
"""

from __future__ import annotations


def _(text: str) -> str:
    """Marks ``text`` for the translation catalogue (locale/) without translating it here: this
    module stays free of Django. Pages translate the text where they show it (vexora.i18n)."""
    return text


# The order of stats, charts, docs and API listings.
MOODS: tuple[str, ...] = ("happy", "sad", "angry", "neutral")
# The CNN's output order (class index i is MODEL_CLASSES[i]); fixed by the trained weights.
MODEL_CLASSES: tuple[str, ...] = tuple(sorted(MOODS))

MOOD_LABELS: dict[str, str] = {"happy": _("Happy"), "sad": _("Sad"), "angry": _("Angry"), "neutral": _("Neutral (calm)")}
# The mood inside a sentence ("you were happy 64% of the time").
MOOD_WORDS: dict[str, str] = {"happy": _("happy"), "sad": _("sad"), "angry": _("angry"), "neutral": _("calm")}
MOOD_EMOJI: dict[str, str] = {"happy": "😊", "sad": "😢", "angry": "😠", "neutral": "😐"}

# How a list of tracks relates to the mood.
STRATEGIES: tuple[str, ...] = ("match", "uplift")
STRATEGY_LABELS: dict[str, str] = {"match": _("Match the mood"), "uplift": _("Lift the mood")}
STRATEGY_HELP: dict[str, str] = {
    "match": _("tracks that match the mood"),
    "uplift": _("start at the mood, move toward happier"),
}
# For happy and neutral, "uplift" is the same as "match".
UPLIFT_MOODS: tuple[str, ...] = ("sad", "angry")
