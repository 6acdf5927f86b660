"""Shifts and cash, X/Z reports, today's figures and the managers' notices."""
