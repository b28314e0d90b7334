"""The app's screens: setup, interview, feedback, summary, keys."""
