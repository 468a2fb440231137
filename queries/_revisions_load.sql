-- The revisions read from the change log (sctdash/store/revisions.py registers them as the
-- relation revisions_found, its columns named as the table's) into their table, after the
-- extracts are loaded.
insert into revisions by name
select * from revisions_found
