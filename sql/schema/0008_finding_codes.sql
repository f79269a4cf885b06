-- Schema version 8: finding codes, so a finding can be shown in Chinese.
--
-- code: the finding's kind, an ID of the msg catalogue (R1.unequal,
--       READ.table_missing…); NULL for findings stored before version 7 and
--       for notes a reader words itself, which are shown as message.
-- args: the values the code's text names, a JSON object of strings
--       ({"col":"natural_person","label":"自然人","new":"12",…}); NULL with code.
-- message stays the English text as before, so every existing store,
-- query and export reads on unchanged; only the two columns are added.
ALTER TABLE findings ADD COLUMN code VARCHAR;
ALTER TABLE findings ADD COLUMN args VARCHAR;
