"""The shift and the manager: open and close, X/Z reports, today's figures, notices."""
