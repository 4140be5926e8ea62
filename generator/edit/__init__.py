"""Edits written back into record files (review stamps), preserving everything else in them."""
