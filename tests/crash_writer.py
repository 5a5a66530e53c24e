"""Writes to a TinyDBStore forever, printing each operation before and after it is acknowledged.

Usage: python -m tests.crash_writer ROOT ROUND SEED. The crash test SIGKILLs it at random.
Lines: "B <json op>" just before an operation, "A <json op>" once it has returned.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys

from bot.storage import TinyDBStore, open_store

SEGMENT_SIZE = 16  # small, so a few hundred records span many segment files
JOURNAL_LIMIT = 2048  # small, so journals are folded into the segments all the time
Op = dict[str, object]


def choose(rng: random.Random, keys: list[str], round_: int, serial: int) -> Op:
    roll = rng.random()
    if roll < 0.5 or len(keys) < 20:
        return {"op": "put", "key": f"r{round_}-{serial}", "value": serial}
    if roll < 0.75:  # updates and deletes hit old keys, so old segments get rewritten
        return {"op": "put", "key": rng.choice(keys), "value": f"u{round_}-{serial}"}
    if roll < 0.9:
        return {"op": "delete", "key": keys.pop(rng.randrange(len(keys)))}
    return {"op": "count"}


async def apply(store: TinyDBStore, op: Op, keys: list[str]) -> None:
    key = str(op.get("key"))
    if op["op"] == "put":
        await store.put("items", key, {"key": key, "value": op["value"]})
        if key not in keys:
            keys.append(key)
    elif op["op"] == "delete":
        await store.delete("items", key)
    else:
        op["value"] = await store.next_number("ops")


def say(tag: str, op: Op) -> None:
    sys.stdout.write(f"{tag} {json.dumps(op)}\n")
    sys.stdout.flush()


async def main(root: str, round_: int, seed: int) -> None:
    store = await open_store(root, SEGMENT_SIZE, JOURNAL_LIMIT)
    keys = [doc["key"] for doc in await store.find("items")]
    rng = random.Random(seed)
    serial = 0
    while True:
        serial += 1
        op = choose(rng, keys, round_, serial)
        say("B", op)
        await apply(store, op, keys)
        say("A", op)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
