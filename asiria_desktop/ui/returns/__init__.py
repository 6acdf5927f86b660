"""Refunds and voids: find a past sale by its receipt, then give back."""
