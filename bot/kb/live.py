"""The knowledge base the bot answers from: reloaded when its files change, never lost."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.kb.entries import Entry, Lookup
from bot.kb.loader import KnowledgeBaseError, Loaded, kb_files, load_kb
from bot.kb.matcher import Matcher
from bot.kb.validate import Problem
from bot.ports import Broadcast, Note

log = logging.getLogger(__name__)
Fingerprint = tuple[tuple[str, int, int], ...]
Build = Callable[[Sequence[Entry]], Matcher]
RELOADED = "kb-reloaded"  # the note that tells the other processes of a reload


class LiveKnowledgeBase:
    """Answers lookups from the last good version; `reload` swaps in a new one atomically."""

    def __init__(self, directory: Path, departments: frozenset[str], build: Build = Matcher.build):
        self.directory, self.departments, self._build = directory, departments, build
        self._entries: dict[str, Entry] = {}
        self._matcher: Matcher = build(())
        self._fingerprint: Fingerprint = ()
        self._broadcast: Broadcast | None = None
        self._hearing: set[asyncio.Task[None]] = set()
        self.version = 0

    @classmethod
    async def open(cls, directory: Path, departments: frozenset[str]) -> LiveKnowledgeBase:
        """Load and check the knowledge base; KnowledgeBaseError if it has problems."""
        live = cls(directory, departments)
        problems = await live.reload()
        if problems:
            raise KnowledgeBaseError(problems)
        return live

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> LiveKnowledgeBase:
        """A knowledge base from entries in memory (tests, benchmarks); `reload` keeps it."""
        live = cls(Path(), frozenset())
        live._install(Loaded(tuple(entries), ()), ())
        return live

    def lookup(self, text: str, language: str | None) -> Lookup:
        return self._matcher.lookup(text, language)

    def lookup_many(self, texts: Sequence[str]) -> list[Lookup]:
        return self._matcher.lookup_many(texts)

    def entry(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    def __len__(self) -> int:
        return len(self._entries)

    async def reload(self) -> list[Problem]:
        """Load the files again; on problems keep serving the previous version and return them."""
        if self.directory == Path():
            return []  # built from entries in memory: nothing to re-read
        fingerprint = await asyncio.to_thread(self._current_fingerprint)
        try:
            loaded = await asyncio.to_thread(load_kb, self.directory, self.departments)
        except KnowledgeBaseError as error:
            self._fingerprint = fingerprint  # don't retry the same broken files every poll
            log.error(
                "knowledge base not reloaded, still serving version %d: %s", self.version, error
            )
            return error.problems
        matcher = await asyncio.to_thread(self._build, loaded.entries)
        self._install(loaded, fingerprint, matcher)
        log.info("knowledge base version %d: %d entries", self.version, len(self._entries))
        if self._broadcast is not None:
            await self._tell_others()
        return []

    def share_reloads(self, broadcast: Broadcast) -> None:
        """Tell the other processes on the store of every reload here, and look at the files
        at once when one of them reloaded (they read the same knowledge directory)."""
        self._broadcast = broadcast

        async def hear(note: Note) -> None:
            if note.get("kind") == RELOADED:  # in the background: other notes go on meanwhile
                task = asyncio.create_task(self.reload_if_changed(), name="kb-reload")
                self._hearing.add(task)
                task.add_done_callback(self._hearing.discard)

        broadcast.listen(hear)

    async def reload_if_changed(self) -> None:
        """Reload if a file was added, removed or changed since the last look."""
        if await asyncio.to_thread(self._current_fingerprint) != self._fingerprint:
            await self.reload()

    async def watch(self, every_s: float = 2.0) -> None:
        """Reload whenever a file is added, removed or changed (runs until cancelled)."""
        while True:
            await asyncio.sleep(every_s)
            await self.reload_if_changed()

    async def _tell_others(self) -> None:
        # The processes that hear it reload only if their files differ, so the notes die out.
        assert self._broadcast is not None
        try:
            await self._broadcast.send({"kind": RELOADED, "entries": len(self._entries)})
        except Exception:  # the reload here stands; the others' watchers still find the files
            log.exception("could not tell the other processes of the knowledge-base reload")

    def _install(
        self, loaded: Loaded, fingerprint: Fingerprint, matcher: Matcher | None = None
    ) -> None:
        self._matcher = matcher or self._build(loaded.entries)
        self._entries = {entry.id: entry for entry in loaded.entries}
        self._fingerprint = fingerprint
        self.version += 1

    def _current_fingerprint(self) -> Fingerprint:
        if not self.directory.is_dir():
            return ()
        stats = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in kb_files(self.directory)]
        return tuple(stats)
