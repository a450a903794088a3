#!/usr/bin/env python3
"""A minimal h5py writer of the same columns as `nxlayout write` (reference line of `npm run bench`).

    python3 bench/h5py-writer.py LOG.jsonl OUT.h5

Reads a jsonl document log (one [name, doc] per line), collects each event
field and its timestamps per stream, and writes one float64/int64 dataset per
column (chunked, gzip 4 like nxlayout's default) plus the event times and
seq_nums: what any Python writer of the same data must at least do.
"""
import json
import sys

import h5py
import numpy as np


def main(log, out):
    streams = {}
    descriptors = {}
    with open(log, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            name, doc = json.loads(line)
            if name == "descriptor":
                descriptors[doc["uid"]] = doc.get("name", "primary")
            elif name == "event":
                s = streams.setdefault(descriptors[doc["descriptor"]], {"time": [], "seq_num": [], "data": {}, "timestamps": {}})
                s["time"].append(doc["time"])
                s["seq_num"].append(doc["seq_num"])
                for k, v in doc["data"].items():
                    s["data"].setdefault(k, []).append(v)
                for k, v in doc["timestamps"].items():
                    s["timestamps"].setdefault(k, []).append(v)
    with h5py.File(out, "w") as h5:
        for stream, s in streams.items():
            g = h5.create_group(f"entry/{stream}")
            n = len(s["time"])
            chunks = (min(n, 65536),) if n else None
            g.create_dataset("time", data=np.asarray(s["time"], dtype="f8"), chunks=chunks, compression="gzip", compression_opts=4)
            g.create_dataset("seq_num", data=np.asarray(s["seq_num"], dtype="i8"), chunks=chunks, compression="gzip", compression_opts=4)
            for k, values in s["data"].items():
                arr = np.asarray(values)
                g.create_dataset(f"data/{k}", data=arr, chunks=(min(n, 65536),) + arr.shape[1:], compression="gzip", compression_opts=4)
            for k, values in s["timestamps"].items():
                g.create_dataset(f"timestamps/{k}", data=np.asarray(values, dtype="f8"), chunks=chunks, compression="gzip", compression_opts=4)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
