-- Request ids are opaque: they are compared for equality and ordered only to be found in an
-- index, never shown in a language's order. Under the "C" collation a comparison is a byte
-- compare instead of the locale's strcoll(), which makes every insert into usage_event_ids'
-- primary key (one per ingested event) and every duplicate probe cheaper. Both tables change
-- together because settlement joins them on id, and a join needs one collation.
ALTER TABLE usage_event_ids ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE usage_events ALTER COLUMN id TYPE text COLLATE "C";
