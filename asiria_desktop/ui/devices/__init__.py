"""Printer, drawer, scanners, display and camera: settings and their status."""
