"""music.normalise: which ids are the same song, and how labelled songs meet the catalog."""

import pytest

from music.normalise import artist_key, artist_keys, base_title, is_other_recording, song_key


@pytest.mark.parametrize("a, b", [
    (("Queen", "Bohemian Rhapsody - Remastered 2011"), ("Queen", "Bohemian Rhapsody")),
    (("Queen", "Bohemian Rhapsody (2011 Remaster)"), ("Queen;David Bowie", "Bohemian Rhapsody")),
    (("The Beatles", "Let It Be - 2009 Mix"), ("Beatles", "Let It Be")),
    (("Beyoncé", "Halo - Single Version / Mono"), ("Beyonce", "Halo")),
    (("Simon & Garfunkel", "The Boxer (feat. Someone)"), ("Simon and Garfunkel", "The Boxer")),
    (("Avicii", "Levels - Radio Edit"), ("Avicii", "Levels - Original Mix")),
])
def test_versions_of_one_recording_share_a_key(a, b):
    assert song_key(*a) == song_key(*b)


@pytest.mark.parametrize("a, b", [
    (("Johnny Cash", "Hurt"), ("Johnny Cash", "Hurt - Live")),
    (("Queen", "Bohemian Rhapsody"), ("Queen", "Bohemian Rhapsody - Live Aid")),
    (("Ed Sheeran", "Shape of You"), ("Ed Sheeran", "Shape of You - Stormzy Remix")),
    (("Eric Clapton", "Layla"), ("Eric Clapton", "Layla - Acoustic")),
    (("Adele", "Hello"), ("Lionel Richie", "Hello")),
    (("Band", "Song - Pt. 2"), ("Band", "Song")),
])
def test_other_recordings_and_other_artists_keep_their_own_key(a, b):
    assert song_key(*a) != song_key(*b)


def test_labels_meet_catalog_songs_by_base_title_and_any_credit_key():
    assert base_title("Hurt - Live") == base_title("Hurt (2002 Remaster)") == "hurt"
    assert is_other_recording("Hurt - Live") and not is_other_recording("Hurt - 2002 Remaster")
    assert artist_key("Crosby, Stills, Nash & Young") == "crosby"
    assert "crosby stills nash and young" in artist_keys("Crosby, Stills, Nash & Young")
    assert artist_keys("Crosby_ Stills_ Nash and Young") & artist_keys("Crosby, Stills, Nash & Young")
    assert artist_key("Rihanna / Jay-Z") == artist_key("Rihanna") == "rihanna"
