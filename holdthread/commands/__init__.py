"""Command-line commands that live outside :mod:`holdthread.cli`, registered there with ``add_command``."""
