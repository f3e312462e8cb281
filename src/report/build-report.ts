/*
 * The report: every experiment's result and the latest campaign results
 * become one document (document.ts) — sections of tables (ours with the
 * paper's figures beside them), charts and notes — which html.ts and
 * markdown.ts write out. The document is data, so the page and its
 * Markdown twin cannot drift apart, and tests check the document rather
 * than scrape markup.
 *
 * The entry points into this file are:
 *   ReportInputs                              what a report is built from
 *   buildReport                               inputs to the document, charts rendered to SVG
 *   writeReport                               the page, its Markdown twin and the SVG files
 *   findCampaignResults                       the latest results directories of each campaign
 */
import fs from 'node:fs';
import path from 'node:path';
import { readManifest, sameCampaign, type Manifest } from '../experiment/journal';
import { renderSvg, scopeSvgIds } from './charts';
import type { Got, ReportDoc, Section } from './document';
import { renderHtml } from './html';
import type { Results } from './load-results';
import { renderMarkdown } from './markdown';
import {
  benchSection, coverageSection, disruptionSection, memorySection, rcbSection,
  type BenchResult, type CoverageResult, type DisruptionResult, type MemoryResult, type RcbResult,
} from './report-sections';
import { survivabilitySection } from './survivability-section';

/** The report command (src/cli/report.ts) builds its inputs with this type. */
export type { Got } from './document';

export interface ReportInputs {
  tool: { name: string; version: string };
  /** The campaigns' results (one entry per campaign), or why there are none. */
  campaigns: Got<Results>[];
  /** Where campaign results were looked for (shown when none were found). */
  resultsRoot: string;
  coverage: Got<CoverageResult>;
  bench: Got<BenchResult>;
  memory: Got<MemoryResult>;
  disruption: Got<DisruptionResult>;
  rcb: Got<RcbResult>;
  /** Experiments whose result came from the report's cache (`report --reuse`), with when it was computed. */
  cached?: Record<string, string>;
}

/** The section each cached experiment fills. */
const SECTION_OF: Record<string, string> = { coverage: 'coverage', bench: 'overhead', memory: 'memory', disruption: 'disruption', rcb: 'rcb' };

export async function buildReport(inp: ReportInputs): Promise<ReportDoc> {
  const sections: Section[] = [
    survivabilitySection(inp.campaigns, inp.resultsRoot),
    coverageSection(inp.coverage),
    benchSection(inp.bench),
    memorySection(inp.memory),
    disruptionSection(inp.disruption),
    rcbSection(inp.rcb),
  ];
  for (const [experiment, savedAt] of Object.entries(inp.cached ?? {})) {
    const s = sections.find((x) => x.id === SECTION_OF[experiment]);
    if (s) s.blocks.unshift({ kind: 'note', text: `From the cache: the ${experiment} result computed ${savedAt} for this same build, tool version and settings (\`report --reuse\`); not rerun for this page.` });
  }
  for (const s of sections) {
    for (const b of s.blocks) if (b.kind === 'chart') b.svg = scopeSvgIds(await renderSvg(b.spec), b.id);
  }
  return {
    title: 'OSIRIS reproduced: the evaluation on the simulated OS',
    intro: [
      'Every table and chart of the paper\'s evaluation, measured on osiris-fi\'s deterministic simulation of a MINIX-3-like OS: ' +
        'survivability under fault injection (Tables II/III), recovery coverage (Table I), performance overhead (Tables IV/V), ' +
        'memory overhead (Table VI), service disruption (Fig. 3) and the size of the Reliable Computing Base.',
    ],
    sections,
    footer: [
      `${inp.tool.name} ${inp.tool.version}. Rebuild this page with \`osiris-fi report\`; ` +
        'each experiment also runs alone (`osiris-fi coverage`, `bench`, `memory`, `disruption`, `rcb`, `compare <results>`).',
      'The paper: K. Bhat et al., "OSIRIS: Efficient and Consistent Recovery of Compartmentalized Operating Systems", DSN 2016. ' +
        'Its figures are shown beside ours for comparison only; nothing in the simulator is tuned to them.',
    ],
  };
}

/** Writes report.html, report.md, charts/<id>.svg and its Vega-Lite specification charts/<id>.vl.json under outDir; returns the paths written. */
export function writeReport(doc: ReportDoc, outDir: string): { html: string; markdown: string; charts: string[] } {
  const chartDir = path.join(outDir, 'charts');
  fs.mkdirSync(chartDir, { recursive: true });
  // SVGs of an earlier report that this one has no chart for (a campaign gone, an experiment failed) would mislead.
  const chartIds = doc.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'chart').map((b) => b.id);
  const ids = new Set(chartIds.flatMap((id) => [`${id}.svg`, `${id}.vl.json`]));
  for (const f of fs.readdirSync(chartDir)) if ((f.endsWith('.svg') || f.endsWith('.vl.json')) && !ids.has(f)) fs.rmSync(path.join(chartDir, f));
  const charts: string[] = [];
  for (const s of doc.sections) {
    for (const b of s.blocks) {
      if (b.kind !== 'chart') continue;
      const file = path.join(chartDir, `${b.id}.svg`);
      fs.writeFileSync(file, b.svg.startsWith('<?xml') ? b.svg : `<?xml version="1.0" encoding="UTF-8"?>\n${b.svg}\n`);
      // The specification beside its rendering, so a chart can be restyled or re-rendered (vega-lite, the online editor).
      fs.writeFileSync(path.join(chartDir, `${b.id}.vl.json`), JSON.stringify(b.spec, null, 2) + '\n');
      charts.push(file);
    }
  }
  const html = path.join(outDir, 'report.html');
  const markdown = path.join(outDir, 'report.md');
  fs.writeFileSync(html, renderHtml(doc));
  fs.writeFileSync(markdown, renderMarkdown(doc, 'charts'));
  return { html, markdown, charts };
}

function mtimeOf(dir: string): number {
  let t = 0;
  for (const f of ['manifest.json', 'runs.jsonl']) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The results directories to report, one group per campaign (by name): a
 * directory holding manifest.json is itself the one group; otherwise its
 * subdirectories are grouped by campaign, and of each campaign the most
 * recently written set of directories of one campaign and build (shards
 * and their merge together) is kept. Groups are in campaign-name order.
 */
export function findCampaignResults(root: string): string[][] {
  if (!fs.existsSync(root)) return [];
  if (fs.existsSync(path.join(root, 'manifest.json'))) return [[root]];
  const dirs = fs.readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && fs.existsSync(path.join(root, e.name, 'manifest.json')))
    .map((e) => path.join(root, e.name))
    .sort();
  const byName = new Map<string, { dir: string; manifest: Manifest; mtime: number }[]>();
  for (const dir of dirs) {
    let manifest: Manifest;
    try { manifest = readManifest(dir); } catch { continue; }
    const list = byName.get(manifest.campaign.name) ?? [];
    list.push({ dir, manifest, mtime: mtimeOf(dir) });
    byName.set(manifest.campaign.name, list);
  }
  const out: string[][] = [];
  for (const name of [...byName.keys()].sort()) {
    const list = byName.get(name)!;
    const latest = list.reduce((a, b) => (b.mtime > a.mtime ? b : a));
    out.push(list.filter((x) => sameCampaign(latest.manifest, x.manifest) === null).map((x) => x.dir));
  }
  return out;
}
