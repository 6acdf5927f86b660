"""Refunds and voids of past sales, and the stock they put back."""
