"""Shared test set-up: deterministic hypothesis runs, a non-interactive matplotlib backend."""

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

settings.register_profile("deterministic", derandomize=True, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
