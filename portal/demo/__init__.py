"""Demo and practice data: practice persons, organisations, letters with PDF attachments."""
