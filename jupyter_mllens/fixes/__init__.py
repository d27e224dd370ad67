"""Fixes: findings turned into edits a user can preview and apply (see `model.py`)."""
