"""PIPL Policy Reviewer: offline review of privacy policies against China's PIPL."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pipl-reviewer")
except PackageNotFoundError:
    __version__ = "0.1.0"
