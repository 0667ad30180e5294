"""REST API serializers by area. Module-level and uniquely named, so the schema is accurate.
Serializers validate shape and types; services decide everything else."""
