"""Where charts are described: the filters, the rows a view fetches (pipeline), what shape
they make and the exhibit built from them, its words, the tiles, the district map as data,
the places and targets as text. No Streamlit, no Plotly."""
