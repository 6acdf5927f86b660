"""Pull the catalog through the server's cursor, page by page, each page with its cursor in one
local transaction (``SyncStore.apply_page``), reporting progress for the first big pull.

While a page is being written locally, the next one is already being fetched: a first pull of a
large catalog then costs about the server's time alone, not the server's plus the till's. Pages
are still applied strictly in order, each with its own cursor, so a crash between pages loses
nothing (the next pull starts from the last applied cursor).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from asiria_desktop.domain.barcodes import VariableMeasureLayout
from asiria_desktop.ports.cloud import CloudApi, ProgressCallback, PullPage, PullProgress
from asiria_desktop.ports.sync_store import SyncStore
from asiria_desktop.sync.mapping import to_catalog_changes

PAGE_SIZE = 500  # the server allows up to 1000
MAX_PAGES_PER_RUN = 100_000  # a guard against a server that says has_more forever


@dataclass
class PullOutcome:
    pages: int = 0
    changes: int = 0
    cursor: str = "0"


class Puller:
    def __init__(
        self, store: SyncStore, layout: VariableMeasureLayout, page_size: int = PAGE_SIZE
    ) -> None:
        self._store = store
        self._layout = layout
        self._page_size = page_size

    def pull(self, api: CloudApi, progress: ProgressCallback | None = None) -> PullOutcome:
        outcome = PullOutcome(cursor=self._store.cursor())
        # One fetch in flight at a time, on its own thread: the HTTP session is never shared
        # between two requests at once.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="asiria-pull") as fetcher:
            pending: Future[PullPage] = fetcher.submit(api.pull, outcome.cursor, self._page_size)
            while outcome.pages < MAX_PAGES_PER_RUN:
                page = pending.result()
                if not page.changes and page.cursor == outcome.cursor:
                    return outcome  # nothing new: the cheap case
                if page.has_more:
                    pending = fetcher.submit(api.pull, page.cursor, self._page_size)
                self._store.apply_page(to_catalog_changes(page.changes, self._layout), page.cursor)
                outcome.pages += 1
                outcome.changes += len(page.changes)
                outcome.cursor = page.cursor
                if progress is not None:
                    total = None if page.remaining is None else outcome.changes + page.remaining
                    progress(PullProgress(outcome.changes, total))
                if not page.has_more:
                    return outcome
        return outcome
