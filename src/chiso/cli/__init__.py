"""The ``chiso`` command line (Typer + Rich): a thin layer over the library.

The command modules (``*_cmd.py``) do not use ``from __future__ import annotations``: Typer
reads every command's parameters from its annotations before anything runs, and annotations
kept as strings must each be compiled and evaluated then, which was a tenth of ``chiso
--help``'s time. Names imported only for type checking are quoted where they are used.
"""
