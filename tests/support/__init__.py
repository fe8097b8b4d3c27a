"""Helpers shared by the test layers: the CLI runner, the sync world and the UI helpers."""
