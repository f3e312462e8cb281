/*
 * The report as one self-contained HTML page: inline CSS, the charts' SVG
 * inline, no script and nothing fetched, so it opens from a file, an
 * e-mail or an archive. The paper's figures sit in tinted columns beside
 * ours.
 *
 * The entry points into this file are:
 *   renderHtml   a report document to the page
 */
import type { Block, Chart, ReportDoc, Table } from './document';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `code` spans and **bold** in otherwise plain text (the only markup the document's prose uses). */
function inline(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

const CSS = `
:root { --ink: #1d2330; --muted: #5b6372; --line: #dde1e8; --paper: #f6f0e1; --paper-ink: #6b5a2e; --accent: #2f5d9e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fafbfc; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 64px; background: #fff; box-shadow: 0 0 0 1px var(--line); }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 40px 0 8px; padding-top: 12px; border-top: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 6px; }
p { margin: 6px 0; max-width: 78ch; }
p.lede { color: var(--muted); }
code { font: 13px/1.3 ui-monospace, Menlo, Consolas, monospace; background: #f1f3f6; padding: 1px 4px; border-radius: 3px; }
nav.toc { margin: 14px 0 8px; display: flex; flex-wrap: wrap; gap: 6px 10px; }
nav.toc a { color: var(--accent); text-decoration: none; padding: 3px 10px; border: 1px solid var(--line); border-radius: 14px; font-size: 13px; }
nav.toc a:hover { background: #eef3fa; }
.legend-paper { display: inline-block; padding: 0 8px; background: var(--paper); color: var(--paper-ink); border-radius: 3px; font-style: italic; }
.table-wrap { overflow-x: auto; margin: 10px 0 6px; }
table { border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0 6px; font-size: 14px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
thead th { background: #f1f3f6; font-weight: 600; border-bottom: 2px solid #c9ced8; vertical-align: bottom; }
thead tr.groups th { border-bottom: 1px solid #c9ced8; text-align: center; }
td.r, th.r { text-align: right; }
td.l, th.l { text-align: left; }
th.paper, td.paper { background: var(--paper); color: var(--paper-ink); font-style: italic; }
tbody tr:nth-child(even) td:not(.paper) { background: #fafbfc; }
tbody tr.total td { font-weight: 600; border-top: 2px solid #c9ced8; }
tbody tr:hover td { background: #eef3fa; }
td.sep, th.sep { border-left: 1px solid #c9ced8; }
span.detail { display: block; font-size: 11px; color: var(--muted); line-height: 1.2; }
.note { color: var(--muted); font-size: 13px; margin: 2px 0; max-width: 90ch; }
.missing { border-left: 4px solid #e0a526; background: #fff8e6; padding: 8px 12px; margin: 10px 0; }
figure.chart { margin: 18px 0 8px; padding: 12px; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; }
`;

function renderTable(t: Table): string {
  const out: string[] = [];
  const cls = (i: number) => { const c = t.columns[i]!; return [c.align === 'r' ? 'r' : 'l', c.paper ? 'paper' : '', c.sep ? 'sep' : ''].filter(Boolean).join(' '); };
  out.push(`<div class="table-wrap"><table id="${escapeHtml(t.id)}" class="report-table">`);
  if (t.caption) out.push(`<caption>${inline(t.caption)}</caption>`);
  out.push('<thead>');
  if (t.columns.some((c) => c.group !== undefined)) {
    // Adjacent columns of one group share a header cell above them.
    const cells: string[] = [];
    for (let i = 0; i < t.columns.length;) {
      const g = t.columns[i]!.group;
      let j = i + 1;
      while (j < t.columns.length && g !== undefined && t.columns[j]!.group === g) j++;
      const gc = [t.columns[i]!.sep ? 'sep' : '', t.columns.slice(i, j).every((c) => c.paper) ? 'paper' : ''].filter(Boolean).join(' ');
      cells.push(`<th colspan="${j - i}"${gc ? ` class="${gc}"` : ''}>${g === undefined ? '' : inline(g)}</th>`);
      i = j;
    }
    out.push(`<tr class="groups">${cells.join('')}</tr>`);
  }
  out.push(`<tr>${t.columns.map((c, i) => `<th class="${cls(i)}" scope="col">${inline(c.title)}</th>`).join('')}</tr>`);
  out.push('</thead><tbody>');
  t.rows.forEach((row, r) => {
    const total = t.totalRows?.includes(r) ? ' class="total"' : '';
    out.push(`<tr${total}>${row.map((v, i) => `<td class="${cls(i)}">${t.columns[i]!.detail ? withDetail(v) : escapeHtml(v)}</td>`).join('')}</tr>`);
  });
  out.push('</tbody></table></div>');
  for (const n of t.notes ?? []) out.push(`<p class="note">${inline(n)}</p>`);
  return out.join('\n');
}

/** "25.0 (7.1–59.1)" as the value with its detail set small beneath. */
function withDetail(v: string): string {
  const m = /^(.*?) \((.*)\)$/.exec(v);
  return m ? `${escapeHtml(m[1]!)}<span class="detail">${escapeHtml(m[2]!)}</span>` : escapeHtml(v);
}

function renderChart(c: Chart): string {
  // writeReport puts each chart's Vega-Lite specification beside its SVG in charts/.
  const spec = `<a href="charts/${escapeHtml(c.id)}.vl.json">Vega-Lite specification</a>`;
  return `<figure class="chart" id="${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}">\n${stripXmlProlog(c.svg)}\n` +
    `<figcaption>${c.caption ? `${inline(c.caption)} ` : ''}${spec}</figcaption>\n` + '</figure>';
}

/** Inline SVG in HTML takes no XML declaration; Vega writes none today, this keeps it so. */
function stripXmlProlog(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

function renderBlock(b: Block): string {
  switch (b.kind) {
    case 'table': return renderTable(b);
    case 'chart': return renderChart(b);
    case 'heading': return `<h3>${inline(b.text)}</h3>`;
    case 'text': return `<p>${inline(b.text)}</p>`;
    case 'note': return `<p class="note">${inline(b.text)}</p>`;
    case 'missing': return `<div class="missing">${inline(b.text)}</div>`;
  }
}

export function renderHtml(doc: ReportDoc): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>', '<main>');
  out.push(`<h1>${inline(doc.title)}</h1>`);
  for (const p of doc.intro) out.push(`<p class="lede">${inline(p)}</p>`);
  out.push(`<p class="lede">Columns in <span class="legend-paper">this tint</span> are the paper's figures (OSIRIS, DSN 2016), shown for comparison only.</p>`);
  out.push(`<nav class="toc">${doc.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('')}</nav>`);
  for (const s of doc.sections) {
    out.push(`<section id="${escapeHtml(s.id)}">`, `<h2>${inline(s.title)}</h2>`);
    for (const p of s.intro) out.push(`<p>${inline(p)}</p>`);
    for (const b of s.blocks) out.push(renderBlock(b));
    out.push('</section>');
  }
  out.push(`<footer>${doc.footer.map(inline).join('<br>')}</footer>`);
  out.push('</main>', '</body>', '</html>');
  return out.join('\n') + '\n';
}
