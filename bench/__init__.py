"""`make bench`: start-up, interaction, export and scale, against a plain-pandas baseline.

synth: synthetic extracts that keep the schema (never real data, written under build/synth/);
pandas_baseline: every named query again in plain pandas; run: the driver.
"""
