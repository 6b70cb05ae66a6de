"""Outside sources of track data. Only Spotify today (``music.providers.spotify``); the local
catalog is the database itself (``music.selectors``)."""
