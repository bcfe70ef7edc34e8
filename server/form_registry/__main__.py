"""Print {form_id: {version: hash}} of the definitions, the content of forms/hashes.json."""

import json
import sys

from .registry import load_registry


def main(argv):
    """Write the hash table of forms_dir (default: the repository's forms/) to stdout."""
    registry = load_registry(argv[1] if len(argv) > 1 else None)
    table = {}
    for item in registry.all_versions():
        table.setdefault(item["form_id"], {})[str(item["version"])] = item["hash"]
    json.dump(table, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
