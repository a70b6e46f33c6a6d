"""Dossier records: the schema, importers, indicators compiled to one Ibis expression, the
engines (DuckDB, Spark), the working-day calendar and the simulator.

Pure computation: no Django. Heavy libraries (ibis, duckdb, pyarrow, pyspark) are imported
inside functions, so that importing this package costs nothing.
"""
