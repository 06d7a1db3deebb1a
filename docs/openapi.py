#!/usr/bin/env python3
# docs/openapi.py — the source of docs/openapi.json: prints the document the package docs/openapi/ builds; edit there, then `make docs`
# (tests/api/95_docs.t checks the document against the route tables).
import json
import sys

import openapi  # docs/openapi/ (a package is found before this file's name)

json.dump(openapi.build(), sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
