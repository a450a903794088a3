"""Publish a Bluesky RunEngine's documents live to nxlayout's Redis Streams bus.

    from redis import Redis
    from redis_publisher import RedisStreamPublisher
    RE.subscribe(RedisStreamPublisher(Redis.from_url("redis://bus-host:6379")))

Each document goes, in order, to the stream ``{prefix}:run:{uid}`` as the
entry ``{name, doc}`` (``doc``: the document as JSON text); a start document
also adds the job ``{uid, stream}`` to ``{prefix}:runs`` once it is in its run's
stream. Writers (``nxlayout serve``) take the jobs and write each run's NeXus
file as its documents arrive. The format is described in docs/bus.md.

Run as a script, it replays a document log (suitcase-jsonl, or a JSON array of
[name, doc] pairs or {"name", "doc"} objects) through the same callback, for
tests and for bridging without bluesky installed:

    python3 redis_publisher.py --redis redis://127.0.0.1:6379 LOG...
"""
import argparse
import json

import redis


def _plain(value):
    """numpy arrays and scalars (what ophyd readings hold) as plain JSON values."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class RedisStreamPublisher:
    """A RunEngine callback: ``RE.subscribe(RedisStreamPublisher(client))``."""

    def __init__(self, client, prefix="nxlayout"):
        self._redis = client
        self._prefix = prefix
        self._run_of_descriptor = {}
        self._run_of_resource = {}
        self._current = None  # the run started last and not stopped (legacy resources name none)

    def _run_of(self, name, doc):
        if name == "start":
            self._current = doc["uid"]
            return doc["uid"]
        if name == "descriptor":
            self._run_of_descriptor[doc["uid"]] = doc["run_start"]
            return doc["run_start"]
        if name == "stop":
            if self._current == doc["run_start"]:
                self._current = None
            return doc["run_start"]
        if name in ("event", "event_page", "stream_datum"):
            return self._run_of_descriptor.get(doc["descriptor"])
        if name in ("resource", "stream_resource"):
            uid = doc.get("run_start") or self._current
            if uid is not None:
                self._run_of_resource[doc["uid"]] = uid
            return uid
        if name in ("datum", "datum_page"):
            return self._run_of_resource.get(doc["resource"])
        return None

    def __call__(self, name, doc):
        uid = self._run_of(name, doc)
        if uid is None:
            return  # a document of no run this callback has seen start
        stream = f"{self._prefix}:run:{uid}"
        pipe = self._redis.pipeline(transaction=False)
        pipe.xadd(stream, {"name": name, "doc": json.dumps(doc, default=_plain)})
        if name == "start":
            pipe.xadd(f"{self._prefix}:runs", {"uid": uid, "stream": stream})
        pipe.execute()


def read_log(path):
    """The (name, doc) pairs of a jsonl log or a JSON array log."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        items = json.loads(text)
    except json.JSONDecodeError:
        items = [json.loads(line) for line in text.splitlines() if line.strip()]
    for item in items:
        yield (item["name"], item["doc"]) if isinstance(item, dict) else tuple(item)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis", required=True, help="redis://host:port/db or unix:///path.sock")
    parser.add_argument("--prefix", default="nxlayout")
    parser.add_argument("logs", nargs="+")
    args = parser.parse_args()
    publish = RedisStreamPublisher(redis.Redis.from_url(args.redis), prefix=args.prefix)
    count = 0
    for log in args.logs:
        for name, doc in read_log(log):
            publish(name, doc)
            count += 1
    print(f"{count} documents published")


if __name__ == "__main__":
    main()
