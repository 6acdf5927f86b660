"""Offline-first sync with the cloud: enrolment, push of the outbox, pull of the
catalog, one sync at a time per till, on a schedule with backoff. See docs/sync.md."""
