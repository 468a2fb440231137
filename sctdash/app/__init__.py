"""Where Streamlit is: the glue the pages share (caches, filters in the session and the
link, charts, maps, download buttons, the import form, the change log's page), meeting
mode, the page list."""
