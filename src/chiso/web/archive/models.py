"""The archive as loaded on this installation: its figures, sources and table notes, and the
digest of what was loaded (pages and files are cached under it, so a new load is never hidden
by an old page).

Loading replaces the whole archive in one transaction (:func:`.services.load`): the archive is
a copy of published tables, not something people edit here.
"""

from __future__ import annotations

from django.db import models


class Loaded(models.Model):
    sha256 = models.CharField(max_length=64, help_text="of the figures and sources loaded")
    loaded_at = models.DateTimeField(auto_now_add=True)
    figures = models.PositiveIntegerField()

    class Meta:
        ordering = ["-loaded_at", "-pk"]


class Source(models.Model):
    code = models.CharField(max_length=100, unique=True)
    address = models.TextField()
    title = models.TextField()
    publisher = models.TextField()
    date = models.CharField(max_length=40)
    licence = models.TextField()

    class Meta:
        ordering = ["pk"]


class TableNote(models.Model):
    index = models.CharField(max_length=20)
    years = models.CharField(max_length=20)
    unit_kind = models.CharField(max_length=20)
    coverage = models.CharField(max_length=20)
    sources = models.TextField(help_text="source codes, one per line")
    note_vi = models.TextField()
    note_en = models.TextField()

    class Meta:
        ordering = ["pk"]


class Figure(models.Model):
    index = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    unit_kind = models.CharField(max_length=20)
    unit = models.CharField(max_length=200)
    node = models.CharField(max_length=20)
    value = models.FloatField(null=True)
    text = models.CharField(max_length=40, help_text="the value as its source prints it")
    rank = models.PositiveIntegerField(null=True)
    group = models.CharField(max_length=10, blank=True)
    basis = models.CharField(max_length=20)
    rank_basis = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=100)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["unit_kind", "unit"])]
