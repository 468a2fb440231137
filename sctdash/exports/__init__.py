"""Where files are written: PNG/SVG through kaleido, CSV/XLSX, native PowerPoint slides and
the decks."""
