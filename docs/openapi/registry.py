# docs/openapi/registry.py — the tables the document is made of, filled in by the other modules in the order the document lists them
from collections import OrderedDict

S = OrderedDict()          # components/schemas
P = OrderedDict()          # components/parameters
H = OrderedDict()          # components/headers
SEC = OrderedDict()        # components/securitySchemes
RESPONSES = OrderedDict()  # components/responses: the answers many operations share (op())
PATHS = OrderedDict()      # paths (op())
OPIDS = set()              # the operationIds taken
