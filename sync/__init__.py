"""backbone: MURAL boards and the shared planning sheet, kept in step; Word recaps on demand."""

__version__ = "0.1.0"
