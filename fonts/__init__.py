"""The fonts signage ships, installed as the data package ``signage.fonts`` (see README.md)."""
