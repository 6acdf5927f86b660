"""The till's pure domain: money, tax, barcodes, pricing, cart, sale, refund, voids, shift,
permissions, events and receipts. Standard library only, no I/O, no clocks, no id generation:
callers pass times (timezone-aware) and ids (or an id factory) in.

The public names of each module are fixed in docs/design/till-core-api.md ("domain/").
"""
