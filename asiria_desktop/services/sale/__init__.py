"""Selling: the cart and its completion, the catalog, scans, M-Pesa and the customer."""
