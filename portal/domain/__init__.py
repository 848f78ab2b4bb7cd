"""Domain rules of the portal: plain Python, no Flask. Views and the API both call these."""
