"""core's one table: the data version (core.db.data_version), a token that changes after every
committed write so computed figures can be cached across requests and processes."""

from django.db import models


class DataVersion(models.Model):
    """A single row (id 1), written only by core.db.data_version's bump, with raw SQL."""

    token = models.BigIntegerField()

    class Meta:
        db_table = "core_dataversion"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="core_dataversion_single_row")]

    def __str__(self) -> str:
        return f"data version {self.token}"
