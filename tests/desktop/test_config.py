"""Settings precedence: defaults < TOML file < ASIRIA_* environment < explicit argument."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.config import ConfigError, load_config


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(config_file=tmp_path / "missing.toml", environ={})
    assert (config.store_code, config.terminal_code, config.currency) == ("S01", "T01", "KES")
    assert config.discount_limit_bp == 1000 and config.tax.standard_bp == 1600
    assert config.database_path.name == "till.sqlite3"


def test_toml_overrides_defaults_and_env_overrides_toml(tmp_path: Path) -> None:
    toml = write(
        tmp_path / "till.toml",
        'store_code = "S07"\nterminal_code = "T03"\ndiscount_limit_bp = 500\n'
        '[store]\nname = "Duka la Mama"\n[barcode]\nprefixes = ["21", "22"]\n',
    )
    config = load_config(config_file=toml, environ={})
    assert (config.store_code, config.terminal_code, config.discount_limit_bp) == (
        "S07",
        "T03",
        500,
    )
    assert config.store.name == "Duka la Mama" and config.barcode.prefixes == ("21", "22")

    env = {
        "ASIRIA_TERMINAL_CODE": "T09",
        "ASIRIA_STORE_NAME": "Env Shop",
        "ASIRIA_TAX_INCLUSIVE": "false",
        "ASIRIA_DATA_DIR": str(tmp_path / "data"),
    }
    config = load_config(config_file=toml, environ=env)
    assert (config.store_code, config.terminal_code) == ("S07", "T09")  # S07 still from TOML
    assert config.store.name == "Env Shop" and config.tax.inclusive is False
    assert config.database_path == tmp_path / "data" / "till.sqlite3"

    explicit = load_config(tmp_path / "cli", config_file=toml, environ=env)
    assert explicit.data_dir == tmp_path / "cli"


def test_asiria_config_names_the_file(tmp_path: Path) -> None:
    toml = write(tmp_path / "other.toml", 'store_code = "S42"\n')
    assert load_config(environ={"ASIRIA_CONFIG": str(toml)}).store_code == "S42"


@pytest.mark.parametrize(
    ("text", "env", "words"),
    [
        ("unknown_key = 1\n", {}, "Unknown setting"),
        ("[store]\ncolour = 'red'\n", {}, "Unknown setting"),
        ("store_code = [\n", {}, "cannot be read"),
        ("", {"ASIRIA_DISCOUNT_LIMIT_BP": "ten"}, "unusable value"),
    ],
)
def test_bad_settings_are_named_in_plain_words(
    tmp_path: Path, text: str, env: dict[str, str], words: str
) -> None:
    toml = write(tmp_path / "till.toml", text)
    with pytest.raises(ConfigError, match=words):
        load_config(config_file=toml, environ=env)


@given(limit=st.integers(min_value=0, max_value=10_000), debounce=st.sampled_from([0, 300, 500]))
def test_numbers_from_the_environment_are_parsed(limit: int, debounce: int) -> None:
    env = {"ASIRIA_DISCOUNT_LIMIT_BP": f" {limit} ", "ASIRIA_SCAN_DEBOUNCE_MS": str(debounce)}
    config = load_config(config_file=Path("/nonexistent/till.toml"), environ=env)
    assert (config.discount_limit_bp, config.scan_debounce_ms) == (limit, debounce)


def test_an_old_devices_table_is_ignored_not_fatal(tmp_path: Path) -> None:
    """The printer and drawer moved to the per-till device settings file (devices-T01.json)."""
    path = tmp_path / "till.toml"
    path.write_text('[devices]\nprinter = "simulated"\nreceipt_width = 32\n', encoding="utf-8")
    config = load_config(config_file=path, environ={})
    assert not hasattr(config, "devices")
