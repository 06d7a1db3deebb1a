# docs/asyncapi_html.py — docs/asyncapi.json as a plain HTML page (no script): what /api/docs/ws serves
"""render(doc, client_names) -> the page. The descriptions are a small
Markdown subset: paragraphs, `code`, **bold**, and pipe tables."""
import html
import json
import re

NAV = """<nav class="hzm-docs-nav">
<strong>hzm API</strong>
<a href="/api/docs">REST (Swagger UI)</a>
<a href="/api/redoc">REST (ReDoc)</a>
<a href="/api/docs/ws">WebSocket</a>
<a href="/api/docs/openapi.json">openapi.json</a>
<a href="/api/docs/asyncapi.json">asyncapi.json</a>
</nav>
"""


def inline(text):
    t = html.escape(text, quote=False)
    t = re.sub(r"`([^`]+)`", r"<code>\1</code>", t)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", t)


def table(lines):
    rows = [[c.strip() for c in ln.strip().strip("|").split("|")]
            for ln in lines if not re.match(r"^\|[-|\s]+\|$", ln.strip())]
    out = ["<table>", "<tr>" + "".join("<th>%s</th>" % inline(c)
                                       for c in rows[0]) + "</tr>"]
    for r in rows[1:]:
        out.append("<tr>" + "".join("<td>%s</td>" % inline(c) for c in r) +
                   "</tr>")
    out.append("</table>")
    return "\n".join(out)


def markdown(text):
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.split("\n")
        if all(ln.strip().startswith("|") for ln in lines):
            out.append(table(lines))
        else:
            out.append("<p>%s</p>" % inline(" ".join(lines)))
    return "\n".join(out)


def schema_rows(schema, prefix=""):
    """(field, type, description) rows of an object schema, nested ones
    under dotted names."""
    rows = []
    req = set(schema.get("required", []))
    for name, s in schema.get("properties", {}).items():
        field = prefix + name + ("" if name in req else " (optional)")
        rows.append((field, type_text(s), s.get("description", "")))
        if s.get("type") == "object":
            rows += schema_rows(s, prefix + name + ".")
        for i, alt in enumerate(s.get("oneOf", [])):
            if alt.get("type") == "object":
                rows += schema_rows(alt, prefix + name + ".")
    return rows


def type_text(s):
    if "const" in s:
        return json.dumps(s["const"])
    if "enum" in s:
        return " | ".join(json.dumps(v) for v in s["enum"])
    if "oneOf" in s:
        return " or ".join(type_text(a) for a in s["oneOf"])
    if s.get("type") == "array":
        return "array of " + type_text(s.get("items", {}))
    return s.get("type", "any")


def message(key, m):
    out = ['<section id="msg-%s">' % key,
           "<h3><code>%s</code> — %s</h3>" % (html.escape(m["title"]),
                                             inline(m["summary"]))]
    if m.get("description"):
        out.append(markdown(m["description"]))
    out.append("<table>\n<tr><th>field</th><th>type</th><th>meaning</th></tr>")
    for f, t, d in schema_rows(m["payload"]):
        out.append("<tr><td><code>%s</code></td><td>%s</td><td>%s</td></tr>"
                   % (html.escape(f), html.escape(t), inline(d)))
    out.append("</table>")
    for ex in m.get("examples", []):
        out.append("<p>Example (%s):</p>\n<pre><code>%s</code></pre>"
                   % (html.escape(ex["name"]),
                      html.escape(json.dumps(ex["payload"],
                                             ensure_ascii=False))))
    out.append("</section>")
    return "\n".join(out)


def render(doc, client_names):
    info = doc["info"]
    msgs = doc["components"]["messages"]
    out = ['<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, '
           'initial-scale=1">',
           "<title>%s</title>" % html.escape(info["title"]),
           '<link rel="icon" href="data:,">',
           '<link rel="stylesheet" href="/docs/docs.css">\n</head>\n<body>',
           NAV, '<main class="hzm-ws">',
           "<h1>%s <small>%s</small></h1>" % (html.escape(info["title"]),
                                              html.escape(info["version"])),
           "<p>Endpoint: <code>ws://HOST:PORT/ws</code> (<code>wss://</code> "
           "behind TLS). Machine-readable: "
           '<a href="/api/docs/asyncapi.json">AsyncAPI %s document</a>.</p>'
           % html.escape(doc["asyncapi"]),
           markdown(info["description"]),
           "<h2>What the client sends</h2>"]
    out += [message(k, msgs[k]) for k in client_names]
    out.append("<h2>What the streamer sends</h2>")
    out += [message(k, m) for k, m in msgs.items() if k not in client_names]
    out.append("</main>\n</body>\n</html>\n")
    return "\n".join(out)
