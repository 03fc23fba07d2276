"""The report's stylesheet, inlined in the page (the file must work offline, without a CDN).

A Python string rather than a ``.css`` file so it ships with the package as code.
"""

from __future__ import annotations

# Run outcomes: colour, and a letter so the strip reads without colour vision.
OUTCOMES: dict[str, tuple[str, str]] = {
    "ok": ("#2e7d32", "✓"),
    "partial": ("#ef6c00", "P"),
    "error": ("#c62828", "E"),
    "unreachable": ("#ad1457", "U"),
    "rest_closed": ("#5e35b1", "C"),
    "not_wordpress": ("#546e7a", "N"),
    "robots_disallowed": ("#795548", "R"),
    "locked": ("#1565c0", "L"),
}
OTHER_OUTCOME = ("#424242", "?")

_OUTCOME_CSS = "".join(
    f".o-{name}{{background:{colour}}}" for name, (colour, _) in OUTCOMES.items()
)

CSS = (
    """
:root{--ink:#1f2933;--muted:#52606d;--line:#d9dee3;--bg:#f5f7fa;--card:#fff;--accent:#0072b2;
--alarm:#fdecea}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
header,main,footer{max-width:1120px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.25rem;margin:0 0 12px}
h3{font-size:1rem;margin:18px 0 6px}
p{margin:6px 0}
a{color:var(--accent)}
code{font-size:.9em;word-break:break-all}
.meta{color:var(--muted)}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;margin:10px 0 4px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:16px;margin:16px 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:0}
.tiles div{border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.tiles dt{color:var(--muted);font-size:.85rem}
.tiles dd{margin:0;font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.tiles .bad dd{color:#c62828}
figure{margin:14px 0}
figcaption{font-weight:600;margin-bottom:4px}
.svg{overflow-x:auto}
.svg svg{display:block;width:100%;max-width:780px;min-width:460px;height:auto}
details{margin:4px 0 10px}
summary{cursor:pointer;color:var(--accent)}
.scroll{overflow-x:auto;max-width:100%}
details .scroll{max-height:420px;overflow-y:auto}
table{border-collapse:collapse;font-size:.9rem;margin:4px 0}
caption{text-align:left;color:var(--muted);padding:2px 0 4px}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600;position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums}
td.title{min-width:14em;max-width:36em}
.site small{display:block;color:var(--muted)}
tr.alarm td{background:var(--alarm)}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:.8rem;color:#fff;
background:#c62828;white-space:nowrap}
.strip{display:flex;gap:2px;flex-wrap:nowrap}
.strip i,.key i{display:inline-block;width:1.25em;height:1.4em;border-radius:2px;color:#fff;
font:600 .75rem/1.4em system-ui,sans-serif;text-align:center;font-style:normal}
.key{display:flex;flex-wrap:wrap;gap:4px 14px;color:var(--muted);font-size:.85rem;margin:6px 0}
.key span{white-space:nowrap}
.empty{color:var(--muted);font-style:italic}
.outcomes{margin:4px 0 8px}
.outcomes span{margin-right:12px;white-space:nowrap}
footer{color:var(--muted);font-size:.85rem;padding-bottom:24px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:600px){body{font-size:14px}section{padding:12px 10px;margin:12px 0}
header,main,footer{padding:0 8px}h1{font-size:1.3rem;padding-top:4px}
.tiles{grid-template-columns:repeat(3,1fr);gap:6px}.tiles div{padding:5px 7px}
.tiles dt{font-size:.75rem}.tiles dd{font-size:1.1rem}
th,td{padding:3px 5px}}
"""
    + _OUTCOME_CSS
    + f".o-other{{background:{OTHER_OUTCOME[0]}}}"
).strip()
