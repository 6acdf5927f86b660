"""The till's settings: defaults, then a TOML file, then ``ASIRIA_*`` environment variables.

Later sources win. The TOML file lives at ``<platform config dir>/asiria/till.toml`` unless
``ASIRIA_CONFIG`` names another file. Every key can be set from the environment: a top-level key
``store_code`` is ``ASIRIA_STORE_CODE``, a key ``name`` in the ``[store]`` table is
``ASIRIA_STORE_NAME``. ``ASIRIA_DATA_DIR`` moves the database, backups and receipt files.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "asiria"
ENV_PREFIX = "ASIRIA_"


class ConfigError(Exception):
    """A setting has a value the till cannot use; ``str()`` says which and why."""


@dataclass(frozen=True)
class StoreSettings:
    name: str = "AsiriaPOS Demo Store"
    address: str = "Moi Avenue, Nairobi"
    tax_pin: str = "P051234567X"
    phone: str = "+254 700 000 000"
    footer: str = "Thank you for shopping with us!"


@dataclass(frozen=True)
class TaxSettings:
    standard_bp: int = 1600
    inclusive: bool = True


@dataclass(frozen=True)
class BarcodeSettings:
    prefixes: tuple[str, ...] = ("20", "21", "22", "23", "24", "25", "26", "27", "28", "29")
    item_digits: int = 5
    value_digits: int = 5
    value_kind: str = "price"  # "price" (cents on the label) or "weight" (grams)
    price_unit_cents: int = 1  # 100 when the scale prints whole shillings


@dataclass(frozen=True)
class SyncSettings:
    server_url: str = ""  # the cloud, e.g. "https://pos.example.com"; the default for enrolment
    terminal_name: str = "Till"  # how head office sees this till when it enrols
    interval_seconds: int = 60  # sync this often while online
    max_backoff_seconds: int = 900  # offline: retry ever later, up to this
    page_size: int = 500  # pulled changes per request (the server allows up to 1000)


@dataclass(frozen=True)
class MpesaSettings:
    max_prompt_kes: int = 250_000  # M-Pesa's per-transaction limit; bigger amounts are split
    wait_seconds: int = 120  # how long the payment dialog waits for the customer's PIN
    poll_seconds: float = 3.0  # how often it asks the cloud how the prompt stands


@dataclass(frozen=True)
class TillConfig:
    data_dir: Path
    store_code: str = "S01"
    terminal_code: str = "T01"
    currency: str = "KES"
    currency_decimals: int = 2
    discount_limit_bp: int = 1000
    cash_rounding_cents: int = 0
    scan_debounce_ms: int = 300
    backup_keep: int = 14
    lockout_failures: int = 5
    lockout_minutes: int = 5
    log_level: str = "INFO"
    training: bool = False  # simulated printer and drawer whatever the device settings say
    store: StoreSettings = field(default_factory=StoreSettings)
    tax: TaxSettings = field(default_factory=TaxSettings)
    barcode: BarcodeSettings = field(default_factory=BarcodeSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    mpesa: MpesaSettings = field(default_factory=MpesaSettings)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "till.sqlite3"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def receipts_path(self) -> Path:
        return self.data_dir / "receipts.txt"

    @property
    def sync_lock_path(self) -> Path:
        return self.data_dir / "sync.lock"


_SECTIONS: dict[str, type[Any]] = {
    "store": StoreSettings,
    "tax": TaxSettings,
    "barcode": BarcodeSettings,
    "sync": SyncSettings,
    "mpesa": MpesaSettings,
}


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "till.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def load_config(
    data_dir: Path | None = None,
    *,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> TillConfig:
    """Defaults < TOML file < environment < the explicit ``data_dir`` argument."""
    env = os.environ if environ is None else environ
    path = config_file or (
        Path(env[f"{ENV_PREFIX}CONFIG"]) if f"{ENV_PREFIX}CONFIG" in env else None
    )
    path = path or default_config_file()
    raw: dict[str, Any] = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The settings file {path} cannot be read: {exc}") from exc
    _merge_env(raw, env)
    if data_dir is not None:
        raw["data_dir"] = str(data_dir)
    return _build(raw, source=str(path))


def _merge_env(raw: dict[str, Any], env: Mapping[str, str]) -> None:
    for f in fields(TillConfig):
        if f.name in _SECTIONS:
            section = raw.setdefault(f.name, {})
            for sub in fields(_SECTIONS[f.name]):
                key = f"{ENV_PREFIX}{f.name}_{sub.name}".upper()
                if key in env:
                    section[sub.name] = env[key]
        else:
            key = f"{ENV_PREFIX}{f.name}".upper()
            if key in env:
                raw[f.name] = env[key]


def _build(raw: Mapping[str, Any], *, source: str) -> TillConfig:
    if "devices" in raw:  # before the per-till device settings file existed
        log.warning(
            "[devices] in %s is no longer read: the printer, drawer and receipt width are set "
            "on the device settings screen (devices-<terminal>.json in the data folder)",
            source,
        )
        raw = {k: v for k, v in raw.items() if k != "devices"}
    known = {f.name for f in fields(TillConfig)}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"Unknown setting(s) {', '.join(sorted(unknown))} in {source}.")
    data_dir = Path(str(raw.get("data_dir") or default_data_dir())).expanduser()
    config = TillConfig(data_dir=data_dir)
    updates: dict[str, Any] = {}
    for f in fields(TillConfig):
        if f.name == "data_dir" or f.name not in raw:
            continue
        if f.name in _SECTIONS:
            updates[f.name] = _build_section(f.name, raw[f.name], getattr(config, f.name))
        else:
            updates[f.name] = _coerce(f.name, raw[f.name], getattr(config, f.name))
    return replace(config, **updates)


def _build_section(name: str, raw: Any, default: Any) -> Any:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"Setting [{name}] must be a table.")
    known = {f.name for f in fields(default)}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"Unknown setting(s) {', '.join(sorted(unknown))} in [{name}].")
    values = {k: _coerce(f"{name}.{k}", v, getattr(default, k)) for k, v in raw.items()}
    return replace(default, **values)


def _coerce(name: str, value: Any, default: Any) -> Any:
    """Turn TOML values and environment strings into the type of the default."""
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(value)
        if isinstance(default, int):
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if isinstance(default, tuple):
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(item).strip() for item in items if str(item).strip())
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"Setting {name} has an unusable value {value!r}.") from exc
