"""Shared code of the Quảng Ngãi Department of Industry and Trade dashboard.

One folder a layer, in the order the data flows; a module imports only from its own layer
and the layers below it (`make lint` runs import-linter's contract in pyproject.toml, and
tests/test_structure.py checks the same):

    serving/    processes behind nginx, systemd units, `make run`'s start     (top)
    app/        Streamlit: pages' glue, filters in the session, meeting mode
    exports/    files written: PNG/SVG, CSV/XLSX, PowerPoint slides and decks
    drawing/    charts and maps drawn as Plotly figures on a canvas
    exhibits/   charts described: rows in the filter → one exhibit, its words, tiles, maps
    editing/    data changed: the importer, planners' templates, the change log, sign-in
    store/      data read: the extracts in DuckDB through the typed schema
    core/       paths, number format, words (catalogues/), colours, text measure, and the
                rules every medium shares: units, kinds' styles, type scale and fonts (bottom)

exhibits/ and editing/ stand side by side and do not import each other.
"""
