"""The bottom layer: where files live, number and date format, the catalogues of charts,
maps and words (catalogues/*.toml) and their loader, colours, text measured in the charts'
font, atomic files. Imports nothing of sctdash's."""
