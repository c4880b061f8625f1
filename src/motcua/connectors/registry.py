"""One registry of outside-system plugins, keyed by (kind, name). Apps register theirs in
`AppConfig.ready()`; a second registration under the same key is refused, so each system has one home."""

from collections.abc import Iterator

from .base import Kind, Plugin


class AlreadyRegistered(Exception):
    pass


class NotRegistered(KeyError):
    pass


class Registry:
    def __init__(self):
        self._plugins: dict[tuple[str, str], Plugin] = {}

    def register(self, plugin: Plugin, *, replace: bool = False) -> Plugin:
        """Add a plugin (an instance). `replace` swaps the one under the same key (tests, a worker that
        wraps a channel); without it a duplicate is an error."""
        if not isinstance(plugin, Plugin) or not plugin.name or str(plugin.kind) not in set(Kind):
            raise TypeError(f"Không phải plugin hợp lệ: {plugin!r}")
        if plugin.key in self._plugins and not replace:
            raise AlreadyRegistered(f"Đã đăng ký {plugin.key}: {self._plugins[plugin.key]!r}")
        self._plugins[plugin.key] = plugin
        return plugin

    def unregister(self, kind: str, name: str) -> Plugin:
        return self._plugins.pop((str(kind), name))

    def get(self, kind: str, name: str) -> Plugin:
        try:
            return self._plugins[(str(kind), name)]
        except KeyError:
            raise NotRegistered((str(kind), name)) from None

    def of_kind(self, kind: str) -> list[Plugin]:
        return [p for (k, _), p in self._plugins.items() if k == str(kind)]

    def __iter__(self) -> Iterator[Plugin]:
        return iter(list(self._plugins.values()))

    def __len__(self) -> int:
        return len(self._plugins)

    def __contains__(self, key) -> bool:
        return (str(key[0]), key[1]) in self._plugins

    def status(self) -> list[dict]:
        """Every plugin's status row (kind, name, configured, stand-in, health, settings), for a status page."""
        return [p.status() for p in sorted(self, key=lambda p: p.key)]


registry = Registry()
