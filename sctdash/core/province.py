"""The province the dashboard is for: Quảng Ngãi, area code 51 in data/districts.csv (the
parent of every district). Python names it here alone; the SQL files that need it say it
themselves, never formatted in from here."""

PROVINCE = "51"
