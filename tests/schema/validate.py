"""Validates TOML files, converted to JSON by tests/toml_schema.rs, against Formwerk's JSON
Schemas with the reference validator for draft 2020-12 (Python `jsonschema`, pinned in
requirements.txt).

Reads {"schemas": {name: schema}, "instances": [{"schema": name, "file": path, "data": …}]}
from standard input; checks each schema against the draft's meta-schema, then prints one line
per instance: {"file": path, "errors": ["<path>: <message>", …]}.
"""

import json
import sys

from jsonschema import Draft202012Validator

request = json.load(sys.stdin)
validators = {}
for name, schema in request["schemas"].items():
    Draft202012Validator.check_schema(schema)
    validators[name] = Draft202012Validator(schema)
for instance in request["instances"]:
    errors = sorted(
        "/".join(str(p) for p in e.absolute_path) + ": " + e.message
        for e in validators[instance["schema"]].iter_errors(instance["data"])
    )
    print(json.dumps({"file": instance["file"], "errors": errors}))
