# docs/openapi/helpers.py — the building blocks: id and decimal patterns, schema helpers (s, dec, obj, nullable, ref), parameters, envelopes, V and FIELDS
from .registry import S

DEC_RE = "^(0|[1-9][0-9]*)(\\.[0-9]+)?$"
DEC2_RE = "^(0|[1-9][0-9]*)(\\.[0-9]{1,2})?$"
TOKEN_RE = "^[A-Za-z0-9._:-]{1,64}$"
IDEM_KEY_RE = "^[A-Za-z0-9._~:-]{1,64}$"
B32ID = "[a-z2-7]{20}"

def ref(kind, name):
    return {"$ref": "#/components/%s/%s" % (kind, name)}

def sref(name):
    return ref("schemas", name)

def dec(desc, example=None, pattern=DEC_RE):
    d = {"type": "string", "pattern": pattern, "description": desc}
    if example is not None:
        d["example"] = example
    return d

def s(desc=None, **kw):
    d = {"type": "string"}
    if desc:
        d["description"] = desc
    d.update(kw)
    return d

def nullable(x):
    # "nullable" needs "type" beside it in 3.0.3, so a $ref (or an allOf
    # of one) is replaced by a copy of the schema it names.
    import copy
    if "$ref" in x or ("allOf" in x and len(x["allOf"]) == 1 and
                       "$ref" in x["allOf"][0]):
        r = x["$ref"] if "$ref" in x else x["allOf"][0]["$ref"]
        y = copy.deepcopy(S[r.rsplit("/", 1)[1]])
        assert "type" in y, r
        y.update({k: v for k, v in x.items() if k not in ("$ref", "allOf")})
        x = y
    else:
        x = dict(x)
    assert "type" in x
    x["nullable"] = True
    if "enum" in x and None not in x["enum"]:
        x["enum"] = x["enum"] + [None]
    return x

def refd(name, desc):
    return {"allOf": [sref(name)], "description": desc}

def obj(props, required=None, desc=None, closed=False, example=None):
    d = {"type": "object"}
    if desc:
        d["description"] = desc
    if required:
        d["required"] = required
    d["properties"] = props
    if closed:
        d["additionalProperties"] = False
    if example is not None:
        d["example"] = example
    return d

TS = sref("Timestamp")
TS_STR = s("UTC, ISO 8601 with milliseconds.", format="date-time")

def qparam(name, desc, schema, required=False):
    return {"name": name, "in": "query", "required": required,
            "description": desc, "schema": schema}

def pparam(name, desc, schema):
    return {"name": name, "in": "path", "required": True,
            "description": desc, "schema": schema}

def envelope(data_schema):
    return {"allOf": [sref("SuccessEnvelope"),
                      obj({"data": data_schema}, ["data"])]}

def list_envelope(item):
    return {"allOf": [sref("ListEnvelope"),
                      obj({"data": {"type": "array", "items": item}},
                          ["data"])]}

def merged(a, b):
    c = dict(a)
    c.update(b)
    return c

V = "/api/v1"
FIELDS = "a field missing, of the wrong type, too long or short, or unknown"
