"""Files in and out of the store: the Excel template, long CSV, and the export of a Huis."""
