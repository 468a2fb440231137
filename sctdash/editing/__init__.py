"""Where the data is changed: the importer (read, check, preview, apply, restore), planners'
XLSX templates, the hash-chained change log, editors' sign-in."""
