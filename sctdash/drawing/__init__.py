"""Where charts are drawn: Plotly figures of an exhibit or a map on a canvas (page, meeting
screen, 16:9 image, slide picture)."""
