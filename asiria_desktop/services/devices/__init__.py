"""Printing, the drawer, the customer display and the device settings."""
