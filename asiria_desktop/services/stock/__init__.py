"""Goods received and stock adjustments."""
