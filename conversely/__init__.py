"""Conversely: the shared runtime every service needs (settings, logging, gRPC bootstrap, generated stubs)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("conversely")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
