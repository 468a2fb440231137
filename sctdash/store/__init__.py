"""Where the data is read: the extracts of data/ loaded into DuckDB through
queries/_schema.sql (db), kept per version on disk (persist), their rows checked with
messages naming file, line and column (validate)."""
