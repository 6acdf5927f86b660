"""Ports: the interfaces services depend on; adapters (local_db, hardware, sync) implement them."""
