"""The mandate pages: the citizen's side (give, approve, end) and the helper's side."""
