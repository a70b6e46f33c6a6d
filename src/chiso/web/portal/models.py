"""Boundary files for true choropleths on the public pages.

An administrator uploads the boundaries (GeoJSON or TopoJSON) the office is licensed to use;
chiso ships none (boundary files carry their own licences). What is kept is the decoded
outline per feature, not the upload, so the portal never parses user files on a request."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models

from chiso.reports.choropleth import Feature


class BoundaryMap(models.Model):
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, help_text="of the uploaded file")
    feature_count = models.PositiveIntegerField()
    features = models.TextField(help_text="[[name, polygons → rings → [lon, lat]], …] as JSON")

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name

    def decoded(self) -> list[Feature]:
        raw: list[Any] = json.loads(self.features)
        return [
            Feature(name, [[[(p[0], p[1]) for p in ring] for ring in poly] for poly in polygons])
            for name, polygons in raw
        ]

    @staticmethod
    def encode(features: list[Feature]) -> str:
        """Coordinates rounded to 1e-4 degree (about 11 m): far below what a page can show."""
        return json.dumps(
            [
                [
                    f.name,
                    [
                        [[[round(x, 4), round(y, 4)] for x, y in ring] for ring in poly]
                        for poly in f.polygons
                    ],
                ]
                for f in features
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
