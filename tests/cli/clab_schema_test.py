#!/usr/bin/python3
"""Every shipped topology's `blastlab export clab` is a topology containerlab's own schema
(tests/data/containerlab/clab.schema.json, draft-07) accepts.

Run by ctest with Debian's python3 and python3-jsonschema (scripts/debian-packages.txt):
  clab_schema_test.py BLASTLAB SCHEMA SOURCE_DIR TOPOLOGY...
"""
import os
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
    import yaml
except ImportError as e:
    sys.exit(f"clab_schema_test: {e}; install python3-jsonschema and python3-yaml "
             "(scripts/setup.sh)")

import json


def ascii_patterns(node):
    """The schema's patterns with their Unicode property escapes as ASCII classes.

    A few patterns (IPv4 and IPv6 addresses with a zone, `%[\\p{N}\\p{L}]+`) use ECMAScript's
    \\p{N} and \\p{L}, which Python's re rejects. Each stands inside a character class, so
    \\p{N} becomes 0-9 and \\p{L} A-Za-z: the ASCII subsets, enough for a test whose
    topologies are ASCII (an exported zone id never has other letters).
    """
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "patternProperties":
                value = {re.sub(r"\\p\{N\}", "0-9", re.sub(r"\\p\{L\}", "A-Za-z", k)):
                         ascii_patterns(v) for k, v in value.items()}
            elif key == "pattern" and isinstance(value, str):
                value = value.replace("\\p{N}", "0-9").replace("\\p{L}", "A-Za-z")
            else:
                value = ascii_patterns(value)
            out[key] = value
        return out
    if isinstance(node, list):
        return [ascii_patterns(item) for item in node]
    return node


def main():
    blastlab, schema_path, source_dir, *topologies = sys.argv[1:]
    with open(schema_path) as f:
        schema = ascii_patterns(json.load(f))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="clab-schema-") as work:
        for index, topology in enumerate(topologies):
            out = os.path.join(work, str(index))
            run = subprocess.run([blastlab, "export", "clab", os.path.join(source_dir, topology),
                                  "--out", out], capture_output=True, text=True)
            if run.returncode != 0:
                print(f"FAIL {topology}: export exited {run.returncode}\n{run.stdout}{run.stderr}")
                failed += 1
                continue
            (clab_file,) = [n for n in os.listdir(out) if n.endswith(".clab.yml")]
            with open(os.path.join(out, clab_file)) as f:
                document = yaml.safe_load(f)
            errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
            if errors:
                failed += 1
                print(f"FAIL {topology}: {clab_file} does not validate:")
                for e in errors:
                    where = "/".join(str(p) for p in e.path)
                    print(f"  {where}: {e.message[:300]}")
            else:
                passed += 1
                print(f"ok   {topology}: {clab_file}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
