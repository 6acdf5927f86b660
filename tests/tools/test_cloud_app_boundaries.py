"""Each cloud app is used by the others only through its services, selectors and models: its
views, admin, serializers, filters and tasks are its own business (the root URLconf wires views
and is the one exception). Built on grimp, the import graph import-linter uses, so an app added
later is covered without a new contract."""

from __future__ import annotations

import grimp

INTERNALS = {"views", "admin", "serializers", "filters", "tasks", "apps", "urls"}
ROOT_WIRING = {
    "cloud_api.urls",
    "cloud_api.celery",
    "cloud_api.settings",
    "cloud_api.settings_test",
}
# The shared kernel: base views, admin mixins and the like every app builds on.
SHARED = {"core"}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None


def internal_part(module: str) -> str | None:
    """The app-internal part a module belongs to (``views`` for cloud_api.sales.views and for
    cloud_api.payments.mpesa.views), or None for its services, selectors, models..."""
    for part in module.split(".")[2:]:
        if part in INTERNALS:
            return part
    return None


def crossings(graph: grimp.ImportGraph) -> list[str]:
    found = []
    for importer in sorted(graph.modules):
        if importer in ROOT_WIRING or app_of(importer) is None:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            target_app = app_of(imported)
            if not imported.startswith("cloud_api.") or target_app in (None, app_of(importer)):
                continue
            if target_app in SHARED:
                continue
            part = internal_part(imported)
            if part is not None:
                found.append(f"{importer} imports {imported} (another app's {part})")
    return found


def test_no_cloud_app_reaches_into_another_apps_internals() -> None:
    graph = grimp.build_graph("cloud_api")
    assert crossings(graph) == []


def test_the_check_sees_a_crossing() -> None:
    graph = grimp.ImportGraph()
    for module in ("cloud_api.sales.services", "cloud_api.catalog.serializers"):
        graph.add_module(module)
    graph.add_import(importer="cloud_api.sales.services", imported="cloud_api.catalog.serializers")
    graph.add_module("cloud_api.sales.selectors")
    graph.add_import(importer="cloud_api.sales.services", imported="cloud_api.sales.selectors")

    assert crossings(graph) == [
        "cloud_api.sales.services imports cloud_api.catalog.serializers (another app's serializers)"
    ]
