"""The ``asiria`` command: ``asiria run``, ``asiria setup`` (the first-run wizard again),
``asiria demo [--data-dir D] [--seed-only]``, ``asiria enroll``, ``asiria sync --once``,
``asiria restore``, ``asiria --version``,
``asiria --self-test [DIR]`` (see self_test.py).
Qt is imported only when a window is about to open."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from asiria_desktop.config import ConfigError, StoreSettings, TillConfig, load_config

if TYPE_CHECKING:
    from asiria_desktop.bootstrap import Till

log = logging.getLogger("asiria")


def version() -> str:
    try:
        return metadata.version("asiriapos")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="asiria", description="AsiriaPOS till")
    parser.add_argument("--version", action="version", version=f"asiria {version()}")
    parser.add_argument(
        "--self-test",
        nargs="?",
        const=True,
        metavar="DIR",
        help="start on a demo store in a scratch folder (DIR, or a temporary one), reach the "
        "sale screen offscreen, print versions and exit",
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="start the till")
    run.add_argument("--data-dir", type=Path, help="where the database and files live")
    setup = sub.add_parser(
        "setup", help="show the first-run wizard again (leave training mode, connect the till)"
    )
    setup.add_argument("--data-dir", type=Path, help="where the database and files live")
    demo = sub.add_parser("demo", help="seed a demo store (idempotent) and start the till")
    demo.add_argument("--data-dir", type=Path, help="where the database and files live")
    demo.add_argument("--seed-only", action="store_true", help="seed, print the accounts, exit")
    demo.add_argument("--cloud", metavar="URL", help="enrol the demo till with this cloud")
    demo.add_argument("--enroll-code", metavar="CODE", help="the enrolment code for --cloud")
    enroll = sub.add_parser("enroll", help="connect this till to the cloud with a one-time code")
    enroll.add_argument("--data-dir", type=Path, help="where the database and files live")
    enroll.add_argument("--server", metavar="URL", help="the cloud (default: sync.server_url)")
    enroll.add_argument("--code", required=True, help="the enrolment code from head office")
    enroll.add_argument("--name", help="how head office sees this till (default: Till)")
    sync = sub.add_parser("sync", help="send unsent events and fetch the catalog")
    sync.add_argument("--data-dir", type=Path, help="where the database and files live")
    sync.add_argument("--once", action="store_true", help="one sync, then exit (for scripts)")
    restore = sub.add_parser("restore", help="replace a damaged database with its last backup")
    restore.add_argument("--data-dir", type=Path, help="where the database and files live")
    restore.add_argument("--backup", type=Path, help="which backup (default: the newest)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # "Running upgrade..." is noise here
    if args.self_test is not None:
        return _self_test(None if args.self_test is True else Path(args.self_test))
    try:
        config = load_config(getattr(args, "data_dir", None))
    except ConfigError as exc:
        print(f"asiria: {exc}", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(config.log_level.upper())
    _file_log(config)
    if command == "restore":
        return _restore(config, args.backup)
    if command in ("enroll", "sync"):
        from asiria_desktop.sync_cli import enroll_command, sync_command

        till_or_code = _open(config)
        if isinstance(till_or_code, int):
            return till_or_code
        try:
            if command == "enroll":
                server = args.server or config.sync.server_url
                name = args.name or config.sync.terminal_name
                return enroll_command(till_or_code, server, args.code, name)
            if not args.once:
                print("asiria: use `asiria sync --once` (the till window syncs by itself).")
                return 2
            return sync_command(till_or_code)
        finally:
            till_or_code.close()
    return _start(
        config,
        setup=command == "setup",
        demo=command == "demo",
        seed_only=getattr(args, "seed_only", False),
        cloud=getattr(args, "cloud", None),
        enroll_code=getattr(args, "enroll_code", None),
    )


def _file_log(config: TillConfig) -> None:
    """JSON lines in ``<data dir>/logs`` (see till_logging.py); stderr alone if it can't."""
    from asiria_desktop.till_logging import add_json_file_log, log_dir

    try:
        add_json_file_log(log_dir(config.data_dir), config.log_level.upper())
    except OSError as exc:
        log.warning("no log file in %s: %s", log_dir(config.data_dir), exc)


def _open(config: TillConfig, *, offline_training: bool = False) -> Till | int:
    """The till, or the exit code after a plain message."""
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.local_db.health import DatabaseDamaged
    from asiria_desktop.local_db.upgrade import UpgradeFailed

    try:
        return build_till(config, offline_training=offline_training)
    except UpgradeFailed as exc:
        print(f"asiria: {exc.message}", file=sys.stderr)
        return 6
    except DatabaseDamaged as exc:
        print(f"asiria: {exc.message}", file=sys.stderr)
        if exc.last_good_backup is not None:
            print(f"To restore it: asiria restore --data-dir {config.data_dir}", file=sys.stderr)
        return 3
    except OSError as exc:  # a data folder that can't be created or written
        print(
            f"asiria: the till can't use its data folder {config.data_dir}: {exc}", file=sys.stderr
        )
        return 4


def demo_store(store: StoreSettings) -> StoreSettings:
    """The demo till is named as the demo cloud names its store (``asiria_demo_data``), so its
    receipts say the same before and after it pulls from the cloud; a name set in the settings
    file or ``ASIRIA_STORE_NAME`` still wins."""
    from asiria_demo_data import STORE_NAME

    if store.name != StoreSettings().name:
        return store
    return replace(store, name=STORE_NAME)


def _start(
    config: TillConfig,
    *,
    demo: bool,
    seed_only: bool,
    cloud: str | None = None,
    enroll_code: str | None = None,
    setup: bool = False,
) -> int:
    from asiria_desktop.first_run_cli import TRAINING, TRAINING_NOTE, first_run, training_config

    training = False
    till: Till | int | None = None
    if demo:  # the demo never touches real devices (simulated printer and drawer)
        config = replace(config, training=True, store=demo_store(config.store))
    else:
        started = first_run(config, _open, setup=setup)
        if isinstance(started, int):
            return started
        mode, till = started
        if mode == TRAINING:
            training = True
            config = training_config(config, demo_store)
            till = _open(config, offline_training=True)
    if till is None:
        till = _open(config)
    if isinstance(till, int):
        return till
    try:
        if training:
            from asiria_desktop.demo import seed_demo

            seed_demo(till)
        if demo:
            from asiria_desktop.demo import seed_demo

            info = seed_demo(till)
            state = "created" if info.created else "already there"
            print(f"Demo store {state} in {config.data_dir} ({info.products} products).")
            for account in info.accounts:
                print(f"  {account.role:<8} {account.name:<8} PIN {account.pin}")
            print(f"  try barcodes {', '.join(info.sample_barcodes)}")
            print(f"  and a scale label {info.sample_scale_label}")
            print(f"  receipts are written to {config.receipts_path}")
            if cloud or enroll_code:
                from asiria_desktop.sync_cli import demo_enroll

                code = demo_enroll(till, cloud or config.sync.server_url, enroll_code)
                if code != 0:
                    return code
            if seed_only:
                return 0
        from asiria_desktop.ui.app import run  # Qt only from here on

        till.start_daily_backups()
        if not training:
            till.start_sync()

        return int(run(till.services, training_note=TRAINING_NOTE if training else None))
    finally:
        till.close()


def _self_test(scratch: Path | None) -> int:
    from asiria_desktop.self_test import SelfTestError, run_self_test

    try:
        return run_self_test(scratch)
    except SelfTestError as exc:
        print(f"asiria: self-test failed: {exc}", file=sys.stderr)
        return 5


def _restore(config: TillConfig, backup: Path | None) -> int:
    from datetime import datetime

    from asiria_desktop.local_db.health import DatabaseDamaged, latest_backup, restore_backup

    chosen = backup or latest_backup(config.backup_dir)
    if chosen is None or not chosen.exists():
        print(f"asiria: no backup found in {config.backup_dir}.", file=sys.stderr)
        return 2
    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    try:
        kept = restore_backup(config.database_path, chosen, stamp)
    except DatabaseDamaged as exc:
        print(f"asiria: the backup {chosen.name} is damaged too. {exc.message}", file=sys.stderr)
        return 3
    print(f"Restored {chosen.name}. The damaged file is kept as {kept.name}.")
    print("Sales made after that backup are not in it: check the paper receipts.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
