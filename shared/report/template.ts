/**
 * The snapshot report's HTML, from Eta templates kept in this module (no template files to ship).
 * Every `<%= … %>` is XML-escaped by Eta (`& < > " '`), so names from the snapshot are text, never
 * markup; `<%~ … %>` (raw) is used only for the output of the report's own partial templates.
 */
import { Eta } from 'eta';
import type { KindDiff } from '#shared/snapshot/diff.js';
import type { PlacedGraph } from './flow-graph.js';
import type { SnapshotReport } from './snapshot-report.js';

/** A member's value on one line: JSON, cut at 120 characters; `(none)` when absent. */
function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/**
 * An edge's route as an SVG path: through dagre's points, each inner corner rounded with a
 * quadratic curve from the middle of one segment to the middle of the next.
 */
function route(edge: PlacedGraph['edges'][number]): string {
  const p = edge.points;
  const at = (x: number, y: number) => `${x.toFixed(1)},${y.toFixed(1)}`;
  const first = p[0];
  const last = p.at(-1);
  if (!first || !last) return '';
  const parts = [`M${at(first.x, first.y)}`];
  p.slice(1, -1).forEach((b, i) => {
    const a = p[i] ?? b;
    const c = p[i + 2] ?? b;
    parts.push(
      `L${at((a.x + b.x) / 2, (a.y + b.y) / 2)}`,
      `Q${at(b.x, b.y)} ${at((b.x + c.x) / 2, (b.y + c.y) / 2)}`,
    );
  });
  parts.push(`L${at(last.x, last.y)}`);
  return parts.join(' ');
}

/** What the kinds are called in the graph's legend and tooltips. */
const KIND_LABELS: Readonly<Record<string, string>> = {
  flows: 'flow',
  'flow-modules': 'flow module',
  queues: 'queue',
};

const STYLE = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 20px 28px 12px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 10px; }
main { padding: 8px 28px 40px; }
section { margin: 22px 0; }
.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.zero td, tr.zero th, tr.not-read td, tr.not-read th { color: var(--muted); }
.status { display: inline-block; font-weight: 600; padding: 2px 10px; border-radius: 12px; color: #fff; }
.status.ok { background: var(--ok); }
.status.bad { background: var(--bad); }
ul.problems li, ul.warnings li { margin: 2px 0; }
.kind-changes { margin: 10px 0 14px; }
.kind-changes h3 { font-size: 14px; margin: 0 0 4px; }
.added::before { content: "+ "; color: var(--ok); font-weight: 600; }
.removed::before { content: "− "; color: var(--bad); font-weight: 600; }
.changed::before { content: "~ "; color: #9a6700; font-weight: 600; }
ul.changes { list-style: none; padding-left: 8px; margin: 0; }
ul.members { list-style: none; padding-left: 18px; margin: 2px 0 6px; }
.graph { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: #fcfcfd; }
.legend span { display: inline-block; margin-right: 16px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px; margin-right: 4px; }
svg .node rect { stroke-width: 1.2; }
svg .node text { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; fill: #1f2328; }
svg .edge { fill: none; stroke: #8c959f; stroke-width: 1.2; }
.k-flows { fill: #ddf4ff; stroke: #0969da; background: #ddf4ff; border: 1px solid #0969da; }
.k-flow-modules { fill: #fbefff; stroke: #8250df; background: #fbefff; border: 1px solid #8250df; }
.k-queues { fill: #fff8c5; stroke: #9a6700; background: #fff8c5; border: 1px solid #9a6700; }
`;

const GRAPH = `
<svg xmlns="http://www.w3.org/2000/svg" id="flow-graph-svg" width="<%= it.graph.width %>" height="<%= it.graph.height %>" viewBox="0 0 <%= it.graph.width %> <%= it.graph.height %>" role="img" aria-label="Flow graph: <%= it.graph.nodes.length %> nodes, <%= it.graph.edges.length %> references">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/></marker></defs>
<g class="edges">
<% for (const edge of it.graph.edges) { %><path class="edge" data-from="<%= edge.from %>" data-to="<%= edge.to %>" d="<%= it.route(edge) %>" marker-end="url(#arrow)"><title><%= it.names.get(edge.from) %> → <%= it.names.get(edge.to) %></title></path>
<% } %></g>
<g class="nodes">
<% for (const node of it.graph.nodes) { %><g class="node" data-kind="<%= node.kind %>" data-id="<%= node.id %>"><title><%= node.name %> (<%= it.kindLabels[node.kind] %><%= node.type ? ', ' + node.type : '' %>)</title><rect class="k-<%= node.kind %>" x="<%= node.x.toFixed(1) %>" y="<%= node.y.toFixed(1) %>" width="<%= node.width.toFixed(1) %>" height="<%= node.height.toFixed(1) %>" rx="6"/><text x="<%= (node.x + node.width / 2).toFixed(1) %>" y="<%= (node.y + node.height / 2 + 4).toFixed(1) %>" text-anchor="middle"><%= node.label %></text></g>
<% } %></g>
</svg>`;

const KIND_CHANGES = `
<div class="kind-changes" data-kind="<%= it.kind %>">
<h3><%= it.kind %> <span class="muted">(<%= it.d.added.length %> added, <%= it.d.removed.length %> removed, <%= it.d.changed.length %> changed, <%= it.d.unchanged %> unchanged)</span></h3>
<ul class="changes">
<% for (const name of it.d.added) { %><li class="added"><%= name %></li>
<% } %><% for (const name of it.d.removed) { %><li class="removed"><%= name %></li>
<% } %><% for (const c of it.d.changed) { %><li class="changed"><%= c.name %>
<ul class="members"><% for (const m of c.changes) { %><li><code><%= m.path %></code>: <code><%= it.shown(m.before) %></code> → <code><%= it.shown(m.after) %></code></li><% } %></ul></li>
<% } %></ul>
</div>`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="connect-vault">
<title>Snapshot <%= it.r.snapshotId %> of <%= it.r.instance.alias || it.r.instance.id %></title>
<style><%~ it.style %></style>
</head>
<body>
<header>
<h1>Snapshot <span class="mono" id="snapshot-id"><%= it.r.snapshotId %></span></h1>
<div>of <strong id="instance-alias"><%= it.r.instance.alias || '(no alias)' %></strong> <span class="mono muted"><%= it.r.instance.id %></span>, account <span class="mono"><%= it.r.instance.accountId %></span>, <%= it.r.instance.region %></div>
</header>
<main>
<section id="summary">
<h2>Summary</h2>
<dl class="facts">
<dt>type</dt><dd id="snapshot-type"><%= it.r.type %></dd>
<dt>started</dt><dd><%= it.r.startedAt %></dd>
<dt>finished</dt><dd><%= it.r.finishedAt %></dd>
<dt>objects</dt><dd id="object-count"><%= it.r.objects %></dd>
<dt>Connect API calls</dt><dd><%= it.r.apiCalls %> (<%= it.r.throttles %> throttled)</dd>
<dt>location</dt><dd class="mono"><%= it.r.location %></dd>
</dl>
</section>

<section id="verify" data-ok="<%= it.r.verify.ok %>">
<h2>Verify</h2>
<p><span class="status <%= it.r.verify.ok ? 'ok' : 'bad' %>" id="verify-status"><%= it.r.verify.ok ? 'intact' : 'NOT INTACT' %></span>
<%= it.r.verify.checked %> objects checked against the manifest's SHA-256 (as <code>connect-vault verify</code> checks them).</p>
<% if (it.r.verify.problems.length) { %><ul class="problems">
<% for (const p of it.r.verify.problems) { %><li><%= p %></li>
<% } %></ul><% } %>
</section>

<section id="counts">
<h2>Resources per kind</h2>
<table>
<thead><tr><th>kind</th><th class="num">resources</th></tr></thead>
<tbody>
<% for (const c of it.r.counts) { %><tr data-kind="<%= c.kind %>" class="<%= c.notRead ? 'not-read' : c.count ? '' : 'zero' %>"><th><%= c.kind %></th><td class="num count"><%= c.notRead ? '—' : c.count %></td></tr>
<% } %></tbody>
</table>
<% if (it.r.type === 'partial') { %><p class="muted">A partial snapshot: — marks the kinds it did not read.</p><% } %>
</section>

<section id="changes">
<h2>Changes since the previous snapshot</h2>
<% if (it.r.changes.previous) { %><p>Compared with <span class="mono" id="previous-snapshot"><%= it.r.changes.previous.snapshotId %></span> (started <%= it.r.changes.previous.startedAt %>).</p><% } %>
<% if (it.r.changes.note) { %><p class="muted" id="changes-note"><%= it.r.changes.note %></p><% } %>
<% if (it.r.changes.diff) { %>
<% if (it.r.changes.diff.identical) { %><p id="no-changes">No change.</p><% } else { %>
<table id="changes-summary">
<thead><tr><th>kind</th><th class="num">added</th><th class="num">removed</th><th class="num">changed</th><th class="num">unchanged</th></tr></thead>
<tbody>
<% for (const [kind, d] of it.changedKinds) { %><tr data-kind="<%= kind %>"><th><%= kind %></th><td class="num"><%= d.added.length %></td><td class="num"><%= d.removed.length %></td><td class="num"><%= d.changed.length %></td><td class="num"><%= d.unchanged %></td></tr>
<% } %></tbody>
</table>
<% for (const [kind, d] of it.changedKinds) { %><%~ include('@kind-changes', { kind, d, shown: it.shown }) %><% } %>
<% } %>
<% } %>
</section>

<section id="warnings">
<h2>Warnings</h2>
<% if (it.r.warnings.length) { %><ul class="warnings">
<% for (const w of it.r.warnings) { %><li><%= w %></li>
<% } %></ul><% } else { %><p class="muted">None.</p><% } %>
</section>

<section id="flow-graph">
<h2>Flow graph</h2>
<p class="muted">Flows, flow modules and queues; an arrow from a resource to each one it references
(transfers, module invocations, queues set, whisper flows), as a restore remaps them.
<%= it.r.graphSize.edges %> references.</p>
<p class="legend"><% for (const kind of it.graphKinds) { %><span><i class="swatch k-<%= kind %>"></i><%= kind %> (<%= it.r.graphSize.nodes[kind] %>)</span><% } %></p>
<% if (it.r.graphNote) { %><p class="muted" id="graph-note"><%= it.r.graphNote %></p><% } %>
<% if (it.r.graph) { %><div class="graph"><%~ include('@graph', { graph: it.r.graph, route: it.route, names: it.names, kindLabels: it.kindLabels }) %></div><% } %>
</section>
</main>
</body>
</html>
`;

const eta = new Eta({ autoEscape: true, autoTrim: false, useWith: false, cache: true });
eta.loadTemplate('@page', PAGE);
eta.loadTemplate('@graph', GRAPH);
eta.loadTemplate('@kind-changes', KIND_CHANGES);

/**
 * The report page of {@link SnapshotReport}: pure (no clock, no reads), so the same report gives
 * the same bytes.
 */
export function reportHtml(report: SnapshotReport): string {
  const changedKinds: Array<[string, KindDiff]> = Object.entries(report.changes.diff?.kinds ?? {}).filter(
    ([, d]) => d.added.length || d.removed.length || d.changed.length,
  );
  return eta.render('@page', {
    r: report,
    style: STYLE,
    changedKinds,
    graphKinds: Object.keys(report.graphSize.nodes),
    shown,
    route,
    names: new Map(report.graph?.nodes.map((n) => [n.id, n.name])),
    kindLabels: KIND_LABELS,
  });
}
