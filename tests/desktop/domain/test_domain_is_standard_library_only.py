"""The domain must run anywhere the till runs: it imports only the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import asiria_desktop.domain as domain

DOMAIN_DIR = Path(domain.__file__).parent


def test_domain_modules_import_only_the_standard_library() -> None:
    offenders = []
    for path in sorted(DOMAIN_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "__future__":
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
