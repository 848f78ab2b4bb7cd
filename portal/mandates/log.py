"""The audit log pages: what others did for me, and what I did for others."""
