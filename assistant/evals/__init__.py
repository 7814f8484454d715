"""The eval set and `assistant eval`: items (items.py) run through the same API the CLI and UI use (run.py),
checked offline (checks.py), summed up with intervals and gates (metrics.py), and reported (report.py)."""
