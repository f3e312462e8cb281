/*
 * The report's Markdown twin: the same document as GitHub-flavoured
 * Markdown, tables as pipe tables (a column group becomes a prefix of the
 * column title, the paper's columns are marked "paper"), each chart an
 * image link to its SVG file written beside the page.
 *
 * The entry points into this file are:
 *   renderMarkdown   a report document to Markdown, charts linked under chartDir
 */
import type { Block, ReportDoc, Table } from './document';

/** A cell's text with the characters that would break a pipe table escaped. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function renderTable(t: Table): string {
  const out: string[] = [];
  if (t.caption) out.push(`**${t.caption}**`, '');
  const titles = t.columns.map((c) => cell(c.group !== undefined && c.group !== '' ? `${c.group}: ${c.title}` : c.title));
  out.push(`| ${titles.join(' | ')} |`);
  out.push(`|${t.columns.map((c) => (c.align === 'r' ? '---:' : ':---')).join('|')}|`);
  t.rows.forEach((row, r) => {
    const bold = t.totalRows?.includes(r);
    out.push(`| ${row.map((v) => (bold && v !== '' ? `**${cell(v)}**` : cell(v))).join(' | ')} |`);
  });
  for (const n of t.notes ?? []) out.push('', `_${n}_`);
  return out.join('\n');
}

function renderBlock(b: Block, chartDir: string): string {
  switch (b.kind) {
    case 'table': return renderTable(b);
    case 'chart': return `![${b.title}](${chartDir}/${b.id}.svg)` + (b.caption ? `\n\n_${b.caption}_` : '') +
      ` ([Vega-Lite specification](${chartDir}/${b.id}.vl.json))`;
    case 'heading': return `### ${b.text}`;
    case 'text': return b.text;
    case 'note': return `_${b.text}_`;
    case 'missing': return `> ${b.text}`;
  }
}

export function renderMarkdown(doc: ReportDoc, chartDir: string): string {
  const out: string[] = [`# ${doc.title}`, ''];
  for (const p of doc.intro) out.push(p, '');
  out.push("Columns titled \"paper\" are the paper's figures (OSIRIS, DSN 2016), shown for comparison only.", '');
  out.push(doc.sections.map((s) => `[${s.title}](#${s.id})`).join(' · '), '');
  for (const s of doc.sections) {
    out.push(`<a id="${s.id}"></a>`, '', `## ${s.title}`, '');
    for (const p of s.intro) out.push(p, '');
    for (const b of s.blocks) out.push(renderBlock(b, chartDir), '');
  }
  out.push('---', '', ...doc.footer.flatMap((f) => [f, '']));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
