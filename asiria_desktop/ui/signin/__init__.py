"""Signing in and approving: PIN, fingerprint or security key, and their settings."""
