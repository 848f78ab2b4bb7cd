"""Limits of a scenario file (docs/limits.md, docs/scenarios.md)."""

from __future__ import annotations

# A sandbox holds at most 16 practice persons (issue 10, item 2), so a scenario does too.
MAX_PERSONAS_PER_SCENARIO = 16
# More than a few screens of an inbox is not a lesson any more.
MAX_LETTERS_PER_BOX = 60
MAX_CASES_PER_SCENARIO = 30
# A file bigger than this is a mistake (the shipped letter library is about 18 KB).
MAX_FILE_BYTES = 256 * 1024
# "days ago" and "days ahead" in a scenario: about five years.
MAX_DAYS = 5 * 366
# Keys (usernames, organisation and letter keys, file names) stay short and typeable.
MAX_KEY_LENGTH = 40
# The lesson title and its short description, in each language.
MAX_TITLE_LENGTH = 80
MAX_DESCRIPTION_LENGTH = 300

# Steps of a lesson shown on the trainer's console (a lesson of two hours has a handful).
MAX_STEPS_PER_SCENARIO = 12
