"""Which configuration governs each file.

With ``--config`` one configuration serves every file. Otherwise each file takes the nearest
``.cablelint.yaml``/``.yml`` (or ``pyproject.toml`` with ``[tool.cablelint]``) above it, as
ruff does, and a file with none above it gets the defaults. The configuration found from the
current directory (the run's) still decides what concerns the whole run: the output, the
fail level, the cache directory and the root of baseline paths.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cablelint.engine.config import Config, FoundConfig, locate_config

if TYPE_CHECKING:
    from cablelint.engine.linter import Linter


class ConfigResolver:
    """Configurations by directory, each config file loaded once (``load(found)``, where
    ``found`` is what :func:`locate_config` found; ``load(None)``: the defaults),
    and the Linter of each (made when a file under it is first linted)."""

    def __init__(
        self,
        run: Config,
        load: Callable[[FoundConfig | None], Config] | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.run = run
        self._warn = warn  # told of configuration files passed over (config.untrusted)
        self._load = load  # None: the run's configuration serves every file (--config)
        self._by_source: dict[Path | None, Config] = {}
        # Files governed by the run's own file (or, without one, by the defaults) share it.
        self._by_source[_key(run)] = run
        self._by_directory: dict[str, Config] = {}  # by absolute directory: one search each
        self._by_named_directory: dict[str, Config] = {}  # by the directory as a path names it
        #: The Linter of each configuration, by its configuration file (None: the defaults).
        self._linters: dict[Path | None, Linter] = {}

    def for_path(self, path: str | Path) -> Config:
        """The configuration of the file (or directory) ``path``: the nearest one above it.

        Asked several times for every file a run finds (discovery, selection, the check): the
        answer is kept by the directory as ``path`` names it (a run's working directory does not
        change), found without a system call once known."""
        if self._load is None:
            return self.run
        named = os.path.dirname(path)
        config = self._by_named_directory.get(named)
        if config is None:
            # As path.absolute().parent (no resolving of ".."), as a str.
            directory = os.path.dirname(os.path.join(os.getcwd(), path))
            config = self._by_directory.get(directory)
            if config is None:
                found = locate_config(Path(directory), self._warn)
                key = found.path.absolute() if found is not None else None
                config = self._by_source.get(key)
                if config is None:
                    config = self._by_source[key] = self._load(found)
                self._by_directory[directory] = config
            self._by_named_directory[named] = config
        return config

    def linter_for_run(self) -> Linter:
        """The Linter of the run's configuration."""
        return self._linter(self.run)

    def linter_for(self, path: str | Path) -> Linter:
        """The Linter of :meth:`for_path`'s configuration (one per configuration)."""
        return self._linter(self.for_path(path))

    def _linter(self, config: Config) -> Linter:
        key = _key(config)
        linter = self._linters.get(key)
        if linter is None or linter.config is not config:
            from cablelint.engine.linter import Linter  # imports the checks and the model

            linter = self._linters[key] = Linter(config)
        return linter

    @property
    def configs(self) -> list[Config]:
        """Every configuration loaded so far (the run's first)."""
        return [self.run, *(c for c in self._by_source.values() if c is not self.run)]


def _key(config: Config) -> Path | None:
    """The configuration file of ``config`` (absolute), or None for the defaults."""
    return config.source.absolute() if config.source is not None else None
