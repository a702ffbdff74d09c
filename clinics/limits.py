"""Bounds on what anyone can type, shared by every form and model: a note is a few paragraphs, not a file."""

NOTE_MAX_LENGTH = 2000
