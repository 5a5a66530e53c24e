"""Data rights and retention: export and erase a customer's data, anonymise old transcripts."""
