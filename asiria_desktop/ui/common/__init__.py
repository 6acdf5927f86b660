"""What every screen builds on: the background runner, operations, messages, theme."""
