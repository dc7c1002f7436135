"""Headless core: loading, segmentation, detection, checklist, project store, memo.

Nothing under this package may import PySide6.
"""
