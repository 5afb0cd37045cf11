"""The sample campaign and playlists, installed as the data package ``signage.playlists``."""
