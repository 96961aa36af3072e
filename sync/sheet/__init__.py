"""The shared planning sheet: tab schema, reading, the three-way merge, and its two backends."""
