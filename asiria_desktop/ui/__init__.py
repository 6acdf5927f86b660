"""The till's Qt user interface: widgets, dialogs and table models only, no business rule.

Entry point: `asiria_desktop.ui.app.run(services)`. Every service call goes through
`operations.Operations` (background work, manager approval, plain-language errors); the screens
show the plain views the services return.
"""
