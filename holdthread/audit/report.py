"""``report.html``: the audit for people, as one self-contained page that works offline.

Charts are inline SVG drawn here, styles and the one small script are inline, and a Content
Security Policy forbids any network fetch, so the file can be mailed or archived and still open.
Every piece of ticket text (team and agent names, comment excerpts) is HTML-escaped.
The script only reports on the page itself: it counts the charts that rendered with a size and
any script error, in ``#status`` (what the headless-browser test reads).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from holdthread import __version__

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
MAX_AGENTS = 100
STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#52606d;font-size:12px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002;min-width:120px}
.card b{display:block;font-size:22px}
section{background:#fff;border-radius:8px;padding:8px 16px 16px;box-shadow:0 1px 2px #0002;margin-bottom:16px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e4e7eb}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
svg.chart{display:block;width:100%;height:auto}
svg text{font-size:11px;fill:#3e4c59}
.ticket{border-top:1px solid #e4e7eb;padding:8px 0}
.span{margin:4px 0 4px 12px;font-size:13px}
.excerpt{white-space:pre-wrap;background:#f5f7fa;padding:4px 8px;border-radius:4px;margin:2px 0}
mark{background:#ffe08a;padding:0 1px}mark.error{background:#ffb3b3}
.sev-error{color:#b42318}.sev-warning{color:#a15c07}.sev-info{color:#3e4c59}
"""
SCRIPT = """
(function(){
  var errors=0;
  window.addEventListener('error',function(){errors++;mark();});
  function mark(){
    var status=document.getElementById('status');
    var charts=document.querySelectorAll('svg.chart');
    var drawn=0;
    charts.forEach(function(c){
      var r=c.getBoundingClientRect();
      if(r.width>0&&r.height>0&&c.childElementCount>0)drawn++;
    });
    status.setAttribute('data-charts',String(charts.length));
    status.setAttribute('data-charts-rendered',String(drawn));
    status.setAttribute('data-errors',String(errors));
    status.textContent=drawn+' of '+charts.length+' charts rendered';
  }
  window.addEventListener('load',mark);
})();
"""


def _bar_chart(items: Sequence[tuple[str, float]], *, label: str, suffix: str = "") -> str:
    """Horizontal bars, one row per item."""
    if not items:
        return '<p class="meta">Nothing to chart.</p>'
    width, row, left = 720, 24, 230
    top = max((value for _, value in items), default=0) or 1
    rows = []
    for index, (name, value) in enumerate(items):
        y = index * row + 4
        bar = max(1.0, (width - left - 70) * value / top) if value else 0
        rows.append(
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{escape(name[:40])}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{bar:.1f}" height="{row - 8}" fill="#3b82f6" rx="2"/>'
            f'<text x="{left + bar + 6:.1f}" y="{y + 14}">{value:g}{escape(suffix)}</text>'
        )
    height = len(items) * row + 8
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">{"".join(rows)}</svg>'
    )


def _histogram(bins: Mapping[str, int]) -> str:
    """Vertical bars: tickets per score bucket."""
    width, height, bottom = 720, 220, 30
    slot = width / max(1, len(bins))
    top = max(bins.values(), default=0) or 1
    parts = []
    for index, (name, count) in enumerate(bins.items()):
        h = (height - bottom - 20) * count / top
        x = index * slot + 6
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{slot - 12:.1f}" height="{max(h, 0):.1f}"'
            ' fill="#10b981" rx="2"/>'
            f'<text x="{x + (slot - 12) / 2:.1f}" y="{height - bottom - h - 4:.1f}" text-anchor="middle">{count}</text>'
            f'<text x="{x + (slot - 12) / 2:.1f}" y="{height - 10}" text-anchor="middle">{escape(name)}</text>'
        )
    return (
        f'<svg class="chart" role="img" aria-label="Score distribution" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">{"".join(parts)}</svg>'
    )


def _trend(weeks: Mapping[str, Mapping[str, Any]]) -> str:
    """Mean score per ISO week as a line, with the ticket count under each point."""
    points = [(week, data) for week, data in weeks.items() if week != "unknown" and data["mean_score"] is not None]
    if not points:
        return '<p class="meta">No ticket has a creation date, so there is no weekly trend.</p>'
    width, height, left, bottom = 720, 240, 40, 50
    step = (width - left - 20) / max(1, len(points) - 1)
    coords = [
        (
            left + index * step if len(points) > 1 else width / 2,
            20 + (height - bottom - 20) * (1 - data["mean_score"] / 100),
        )
        for index, (_, data) in enumerate(points)
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords))
    every = max(1, len(points) // 12)
    parts = [
        f'<line x1="{left}" y1="{20 + (height - bottom - 20) * (1 - t / 100):.1f}" x2="{width - 10}" '
        f'y2="{20 + (height - bottom - 20) * (1 - t / 100):.1f}" stroke="#e4e7eb"/>'
        f'<text x="{left - 6}" y="{24 + (height - bottom - 20) * (1 - t / 100):.1f}" text-anchor="end">{t}</text>'
        for t in (0, 50, 100)
    ]
    parts.append(f'<path d="{path}" fill="none" stroke="#6366f1" stroke-width="2"/>')
    for index, ((week, data), (x, y)) in enumerate(zip(points, coords, strict=True)):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#6366f1"><title>{escape(week)}: mean '
            f"{data['mean_score']}, {data['tickets']} tickets</title></circle>"
        )
        if index % every == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(week)}</text>'
                f'<text x="{x:.1f}" y="{height - bottom + 30}" text-anchor="middle">{data["tickets"]}</text>'
            )
    return (
        f'<svg class="chart" role="img" aria-label="Weekly mean score" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">{"".join(parts)}</svg>'
    )


def _group_table(groups: Mapping[str, Mapping[str, Any]], what: str, limit: int | None = None) -> str:
    ordered = sorted(groups.items(), key=lambda item: (item[1]["mean_score"] or 0, item[0]))
    shown = ordered[:limit] if limit else ordered
    rows = "".join(
        f'<tr><td>{escape(name)}</td><td class="n">{data["tickets"]}</td><td class="n">{data["mean_score"]}</td>'
        f'<td class="n">{round(100 * (data["pass_rate"] or 0), 1)}%</td><td class="n">{data["findings"]}</td></tr>'
        for name, data in shown
    )
    note = (
        f'<p class="meta">The {len(shown)} of {len(ordered)} {what}s with the lowest mean score.</p>'
        if len(shown) < len(ordered)
        else ""
    )
    return (
        f'<table><thead><tr><th>{escape(what.capitalize())}</th><th class="n">Tickets</th><th class="n">Mean score</th>'
        f'<th class="n">Pass rate</th><th class="n">Findings</th></tr></thead><tbody>{rows}</tbody></table>{note}'
    )


def _ticket_link(ticket: Mapping[str, Any]) -> str:
    """The ticket id, linked to the ticket in the helpdesk when the policy sets ``ticket_url``."""
    ticket_id = escape(ticket["ticket_id"])
    url = ticket.get("ticket_url") or ""
    if not url.startswith(("https://", "http://")):
        return f"<b>{ticket_id}</b>"
    return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer"><b>{ticket_id}</b></a>'


def _worst(tickets: Sequence[Mapping[str, Any]]) -> str:
    if not tickets:
        return '<p class="meta">No ticket lost points.</p>'
    parts = []
    for ticket in tickets:
        spans = "".join(
            f'<div class="span"><span class="sev-{escape(a["severity"])}">{escape(a["severity"])}</span> '
            f"<b>{escape(a['rule'])}</b> in {escape(a['comment_id'] or 'the ticket')}"
            f"{' by ' + escape(a['agent']) if a.get('agent') else ''}: {escape(a['message'])}"
            f'<div class="excerpt">…{escape(a["before"])}'
            f'<mark class="{escape(a["severity"])}">{escape(a["text"])}</mark>'
            f"{escape(a['after'])}…</div></div>"
            for a in ticket["annotations"]
        )
        authors = ", ".join(
            f"{escape(author['agent'] or 'no agent')} ({escape(author['team'] or 'no team')}) {author['score']}"
            for author in ticket.get("authors", [])
        ) or "no linted comment"
        parts.append(
            f'<div class="ticket">{_ticket_link(ticket)} score {ticket["score"]} '
            f"({escape(ticket['verdict'])}) · {authors} · "
            f"{escape(ticket['created_at'] or 'no date')}{spans}</div>"
        )
    return "".join(parts)


def render_report(summary: Mapping[str, Any], worst: Sequence[Mapping[str, Any]], inputs: Sequence[str]) -> str:
    """The whole page, from ``summary.json`` data and the worst tickets."""
    counts, score, verdicts = summary["counts"], summary["score"], summary["verdicts"]
    rules = [(rule_id, float(data["findings"])) for rule_id, data in summary["rules"].items()]
    teams = [(name, float(data["mean_score"] or 0)) for name, data in summary["teams"].items()]
    rate = "–" if score["pass_rate"] is None else f"{round(100 * score['pass_rate'], 1)}%"
    cards = "".join(
        f'<div class="card">{escape(label)}<b>{escape(str(value))}</b></div>'
        for label, value in (
            ("Records read", counts["read"]),
            ("Linted", counts["linted"]),
            ("Rejected", counts["rejected"]),
            ("Mean score", score["mean"] if score["mean"] is not None else "–"),
            ("Pass rate", rate),
            ("Blocked", verdicts["block"]),
            ("Warned", verdicts["warn"]),
            ("Passed", verdicts["pass"]),
        )
    )
    rejected = "".join(
        f'<tr><td>{escape(reason)}</td><td class="n">{count}</td></tr>'
        for reason, count in summary["rejected_reasons"].items()
    )
    policy = " <- ".join(reversed(summary["policy"]["sources"]))
    shown_inputs = ", ".join(inputs[:5]) + (" …" if len(inputs) > 5 else "")
    rejected_table = f"<table><tbody>{rejected}</tbody></table>" if rejected else '<p class="meta">None.</p>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>holdthread audit</title><style>{STYLE}</style></head>
<body><main>
<h1>Handoff quality audit</h1>
<p class="meta">holdthread {escape(__version__)} · policy: {escape(policy)} ·
pass mark {summary["policy"]["pass_mark"]} · inputs: {escape(shown_inputs)}</p>
<div class="cards">{cards}</div>
<section><h2>Findings per rule</h2>{_bar_chart(rules, label="Findings per rule")}</section>
<section><h2>Score distribution</h2>{_histogram(score["histogram"])}</section>
<section><h2>Weekly trend (mean score; tickets under each week)</h2>{_trend(summary["weekly"])}</section>
<section><h2>Teams</h2>{_bar_chart(teams, label="Mean score per team")}
{_group_table(summary["teams"], "team")}</section>
<section><h2>Agents</h2>{_group_table(summary["agents"], "agent", MAX_AGENTS)}</section>
<section><h2>Worst tickets</h2>{_worst(worst)}</section>
<section><h2>Rejected records</h2>{rejected_table}</section>
<p id="status" class="meta" data-errors="0"></p>
</main><script>{SCRIPT}</script></body></html>
"""
