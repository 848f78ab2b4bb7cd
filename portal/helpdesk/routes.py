"""The help-desk pages."""
