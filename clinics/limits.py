"""Bounds on what anyone can type, shared by every form and model: a note is a few paragraphs, not a file."""

NOTE_MAX_LENGTH = 2000
# No password manager makes one longer; past it, hashing a typed "password" is only a cost to us.
PASSWORD_MAX_LENGTH = 1024
