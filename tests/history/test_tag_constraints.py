"""The database keeps the rules of notes and tags whatever code writes them: tag names unique per
person whatever their case, never blank, capped in length; notes capped in length."""

import pytest
from django.db import DataError, IntegrityError, transaction

from history.models import HistoryEntryTag, Tag
from tests.factories import UserFactory
from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db

# SQLite refuses with the CHECK constraint (IntegrityError), PostgreSQL already with varchar's length (DataError).
REFUSED = (IntegrityError, DataError)


def _refused(**fields):
    with pytest.raises(REFUSED), transaction.atomic():
        Tag.objects.create(**fields)


def test_a_persons_tag_names_are_unique_whatever_their_case():
    user = UserFactory()
    Tag.objects.create(user=user, name="Exercise")
    _refused(user=user, name="exercise")
    Tag.objects.create(user=UserFactory(), name="exercise")  # someone else's: fine
    assert Tag.objects.count() == 2


def test_tag_names_are_neither_blank_nor_longer_than_30():
    user = UserFactory()
    _refused(user=user, name="")
    _refused(user=user, name="x" * 31)
    Tag.objects.create(user=user, name="x" * 30)


def test_an_entry_carries_a_tag_once():
    entry = HistoryEntryFactory()
    tag = Tag.objects.create(user=entry.user, name="work")
    HistoryEntryTag.objects.create(entry=entry, tag=tag)
    with pytest.raises(IntegrityError), transaction.atomic():
        HistoryEntryTag.objects.create(entry=entry, tag=tag)


def test_a_note_longer_than_500_characters_is_refused():
    entry = HistoryEntryFactory(note="x" * 500)
    entry.note = "x" * 501
    with pytest.raises(REFUSED), transaction.atomic():
        entry.save()
