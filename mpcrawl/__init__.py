"""mpcrawl: archive WordPress sites through the REST API into Parquet partitions."""

__version__ = "0.1.0"
