"""Reports computed from the stored records (G3-G6): per department and language."""
