"""Shared code of the Quảng Ngãi Department of Industry and Trade dashboard.

db: the DuckDB store over data/*.csv; validate: row-level checks with file/line/column
messages; i18n: the text catalogue; fmt: Vietnamese number and date format;
charts: figure builders; ui: Streamlit glue shared by the pages.
"""
