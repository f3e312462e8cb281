/*
 * The report's charts: Vega-Lite specifications, compiled to Vega and
 * rendered to SVG in Node (no browser, no canvas). Vega and Vega-Lite are
 * ES modules with top-level await, so they are loaded with import() — a
 * CommonJS require() of them fails even on Node 20.19+.
 *
 * The entry points into this file are:
 *   survivabilityChart   stacked bars per mode: ours beside the paper's table, Wilson error bars
 *   recoverabilityHeatmap  share survived per function and mode (the recoverability map)
 *   coverageChart        recovery coverage per server and policy, paper as ticks
 *   slowdownChart        slowdown per program and configuration, geomean last
 *   disruptionChart      score against the crash interval (Fig. 3)
 *   renderSvg            one spec to an SVG document
 *   scopeSvgIds          give an SVG's element ids a stable per-chart prefix
 *   svgHasMarks          whether an SVG holds drawn marks (a test and sanity check)
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

export type { TopLevelSpec };

/** Outcome colours: green for pass, amber for fail, blue for a controlled shutdown, red for crash. */
const OUTCOME_DOMAIN = ['Pass', 'Fail', 'Shutdown', 'Crash'];
const OUTCOME_RANGE = ['#4e9a58', '#e0a526', '#4a7fc1', '#c8453c'];
const SERIES_RANGE = ['#4a7fc1', '#e07b39', '#4e9a58', '#8d5fb5', '#c8453c', '#6b6b6b'];

const FONT = 'Helvetica, Arial, sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start' as const, offset: 12 },
};

const title = (text: string, subtitle?: string) => (subtitle ? { text, subtitle } : { text });

export interface SurvivabilityBar {
  mode: string;
  /** "ours" or the paper table's label, e.g. "paper (Table III)". */
  source: string;
  outcome: 'Pass' | 'Fail' | 'Shutdown' | 'Crash';
  pct: number;
  count?: number;
  /** The 95% Wilson interval of pct, in percent (drawn as an error bar at the segment's end). */
  lo?: number;
  hi?: number;
}

const OUTCOME_ORDER = (o: string) => OUTCOME_DOMAIN.indexOf(o);

/**
 * Error bars for stacked segments: a segment starting at s with share p and
 * interval [lo, hi] ends at s + p; its end could lie anywhere in
 * [s + lo, s + hi], so that is the bar drawn at its end (within 0-100%).
 */
function stackedErrorBars(bars: SurvivabilityBar[]): { mode: string; source: string; outcome: string; from: number; to: number; lo: number; hi: number }[] {
  const out: { mode: string; source: string; outcome: string; from: number; to: number; lo: number; hi: number }[] = [];
  const start = new Map<string, number>();
  for (const b of [...bars].sort((x, y) => OUTCOME_ORDER(x.outcome) - OUTCOME_ORDER(y.outcome))) {
    const k = `${b.mode}\u0000${b.source}`;
    const s = start.get(k) ?? 0;
    start.set(k, s + b.pct);
    if (b.lo === undefined || b.hi === undefined || !Number.isFinite(b.pct)) continue;
    // Clamped to the axis: the last segment always ends at 100%, the interval then shows only its lower side.
    out.push({ mode: b.mode, source: b.source, outcome: b.outcome, from: Math.max(0, s + b.lo), to: Math.min(100, s + b.hi), lo: b.lo, hi: b.hi });
  }
  return out;
}

export function survivabilityChart(heading: string, subtitle: string, modes: string[], bars: SurvivabilityBar[]): TopLevelSpec {
  const values = bars.map((b) => ({ ...b, order: OUTCOME_ORDER(b.outcome), label: b.pct >= 7 ? `${b.pct.toFixed(0)}%` : '' }));
  const errors = stackedErrorBars(bars);
  const sources = [...new Set(bars.map((b) => b.source))];
  // One band per mode, one bar per source inside it (yOffset); the source is named right of its bar.
  const y = { field: 'mode', type: 'nominal', sort: modes, title: 'recovery mode', axis: { labelFontWeight: 'bold', labelFontSize: 12, ticks: false, labelPadding: 6 } };
  const yOffset = { field: 'source', type: 'nominal', sort: sources, scale: { paddingInner: 0.12 } };
  const sourceLabels = [...new Set(bars.map((b) => `${b.mode}\u0000${b.source}`))].map((k) => {
    const [mode, source] = k.split('\u0000');
    return { mode, source, x: 100 };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(heading, subtitle),
    config: CONFIG,
    width: 560,
    height: { step: 22 },
    layer: [
      {
        data: { values },
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          y, yOffset,
          x: { field: 'pct', type: 'quantitative', stack: 'zero', scale: { domain: [0, 100] }, title: '% of runs' },
          order: { field: 'order', type: 'quantitative' },
          color: { field: 'outcome', type: 'nominal', title: null, scale: { domain: OUTCOME_DOMAIN, range: OUTCOME_RANGE }, legend: { orient: 'top', direction: 'horizontal' } },
          tooltip: [{ field: 'mode' }, { field: 'source' }, { field: 'outcome' }, { field: 'pct', format: '.1f', title: '%' }, { field: 'lo', format: '.1f', title: '95% low' }, { field: 'hi', format: '.1f', title: '95% high' }, { field: 'count' }],
        },
      },
      ...(errors.length ? [{
        data: { values: errors },
        mark: { type: 'rule', color: '#1d2330', strokeWidth: 1.3, opacity: 0.85 },
        encoding: {
          y, yOffset,
          x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' },
          tooltip: [{ field: 'mode' }, { field: 'source' }, { field: 'outcome' }, { field: 'lo', format: '.1f', title: '95% low' }, { field: 'hi', format: '.1f', title: '95% high' }],
        },
      }] : []),
      {
        data: { values },
        mark: { type: 'text', color: 'white', fontSize: 10, dx: -3, align: 'right', baseline: 'middle' },
        encoding: {
          y, yOffset,
          x: { field: 'pct', type: 'quantitative', stack: 'zero', bandPosition: 1 },
          order: { field: 'order', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
      {
        data: { values: sourceLabels },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 11, color: '#333' },
        encoding: { y, yOffset, x: { field: 'x', type: 'quantitative' }, text: { field: 'source' } },
      },
    ],
  } as TopLevelSpec;
}

export interface HeatCell {
  /** The row: "pm/signal.ts:136 do_sigaction". */
  row: string;
  mode: string;
  /** % survived (pass), with its Wilson interval and the counts behind it. */
  pct: number;
  lo: number;
  hi: number;
  survived: number;
  runs: number;
}

/** Functions down, modes across; colour: % of the function's faults the mode survived (red 0% to green 100%). */
export function recoverabilityHeatmap(heading: string, subtitle: string, rows: string[], modes: string[], cells: HeatCell[]): TopLevelSpec {
  // Each cell names its share and 95% interval: a colour alone would hide how few faults some functions had.
  const values = cells.map((c) => ({ ...c, label: `${c.pct.toFixed(0)} [${c.lo.toFixed(0)}–${c.hi.toFixed(0)}]`, dark: c.pct < 25 || c.pct > 75 }));
  const x = { field: 'mode', type: 'nominal', sort: modes, title: 'recovery mode', axis: { orient: 'top', labelAngle: 0, labelFontWeight: 'bold' } };
  const y = { field: 'row', type: 'nominal', sort: rows, title: null, axis: { labelLimit: 320, labelFontSize: 10.5 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(heading, subtitle),
    config: CONFIG,
    width: Math.max(240, modes.length * 100),
    height: { step: 16 },
    data: { values },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x, y,
          color: { field: 'pct', type: 'quantitative', title: '% survived', scale: { domain: [0, 100], range: ['#c8453c', '#f2d16b', '#4e9a58'] }, legend: { orient: 'right', gradientLength: 120 } },
          tooltip: [{ field: 'row', title: 'function' }, { field: 'mode' }, { field: 'pct', format: '.1f', title: '% survived' },
            { field: 'lo', format: '.1f', title: '95% low' }, { field: 'hi', format: '.1f', title: '95% high' }, { field: 'survived' }, { field: 'runs' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 9.5, baseline: 'middle' },
        encoding: { x, y, text: { field: 'label' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: '#1d2330' } },
      },
    ],
  } as TopLevelSpec;
}

export interface TransitionCell {
  /** The fault's column under the first mode (row) and under the second (column). */
  from: string;
  to: string;
  count: number;
  /** % of the row's faults, with its 95% Wilson interval. */
  pct: number;
  lo: number;
  hi: number;
}

/** The per-fault transitions between two modes: rows the first mode's column, columns the second's; colour: share of the row. */
export function transitionHeatmap(heading: string, subtitle: string, outcomes: string[], fromMode: string, toMode: string, cells: TransitionCell[]): TopLevelSpec {
  const values = cells.map((c) => ({ ...c, label: c.count === 0 ? '0' : `${c.count} · ${c.pct.toFixed(0)}% [${c.lo.toFixed(0)}–${c.hi.toFixed(0)}]`, dark: c.pct > 55 }));
  const x = { field: 'to', type: 'nominal', sort: outcomes, title: `under ${toMode}`, axis: { orient: 'top', labelAngle: 0, labelFontWeight: 'bold' } };
  const y = { field: 'from', type: 'nominal', sort: outcomes, title: `under ${fromMode}`, axis: { labelFontWeight: 'bold' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(heading, subtitle),
    config: CONFIG,
    width: outcomes.length * 110,
    height: outcomes.length * 44,
    data: { values },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x, y,
          color: { field: 'pct', type: 'quantitative', title: '% of the row', scale: { domain: [0, 100], range: ['#f4f6fa', '#3b6fb6'] }, legend: { orient: 'right', gradientLength: 120 } },
          tooltip: [{ field: 'from', title: fromMode }, { field: 'to', title: toMode }, { field: 'count', title: 'faults' }, { field: 'pct', format: '.1f', title: '% of the row' },
            { field: 'lo', format: '.1f', title: '95% low' }, { field: 'hi', format: '.1f', title: '95% high' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 10.5, baseline: 'middle' },
        encoding: { x, y, text: { field: 'label' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: '#1d2330' } },
      },
    ],
  } as TopLevelSpec;
}

export interface GroupedValue {
  /** The x category (server, program). */
  group: string;
  /** The bar within the group (policy, configuration). */
  series: string;
  value: number;
  /** The spread of the repetitions behind the value (drawn as a whisker), when it has one. */
  lo?: number;
  hi?: number;
  /** The spread includes the rule (1.0): the difference from the baseline is within the noise. */
  noise?: boolean;
}

interface GroupedOptions {
  heading: string;
  subtitle: string;
  groups: string[];
  series: string[];
  yTitle: string;
  xTitle: string;
  /** Fixed y domain, else from the data. */
  yDomain?: [number, number];
  /** A horizontal rule at this y (1 for slowdown ratios). */
  rule?: number;
  format: string;
  width?: number;
}

/** Bars for ours, black ticks for the paper's figures at the same position. */
function groupedBars(o: GroupedOptions, oursIn: GroupedValue[], paper: GroupedValue[]): TopLevelSpec {
  const withSpread = oursIn.some((v) => v.lo !== undefined);
  const ours = withSpread ? oursIn.map((v) => ({ ...v, noiseText: v.noise ? 'within the noise' : 'outside the noise' })) : oursIn;
  const x = { field: 'group', type: 'nominal', sort: o.groups, title: o.xTitle, axis: { labelAngle: o.groups.length > 6 ? -35 : 0, labelLimit: 180 } };
  const xOffset = { field: 'series', type: 'nominal', sort: o.series, scale: { domain: o.series } };
  const y = { field: 'value', type: 'quantitative', title: o.yTitle, ...(o.yDomain ? { scale: { domain: o.yDomain } } : { scale: { zero: true } }) };
  const layer: unknown[] = [
    {
      data: { values: ours },
      mark: { type: 'bar' },
      encoding: {
        x, xOffset, y,
        color: { field: 'series', type: 'nominal', title: null, sort: o.series, scale: { domain: o.series, range: SERIES_RANGE }, legend: { orient: 'top', direction: 'horizontal' } },
        ...(withSpread ? { opacity: { condition: { test: 'datum.noise', value: 0.3 }, value: 1 } } : {}),
        tooltip: [{ field: 'group' }, { field: 'series' }, { field: 'value', format: o.format },
          ...(withSpread ? [{ field: 'lo', format: o.format, title: 'spread low' }, { field: 'hi', format: o.format, title: 'spread high' }, { field: 'noiseText', title: 'against the baseline' }] : [])],
      },
    },
  ];
  if (withSpread) {
    layer.push({
      data: { values: ours.filter((v) => v.lo !== undefined) },
      mark: { type: 'rule', color: '#222', strokeWidth: 1.2 },
      encoding: { x, xOffset, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
    });
  }
  if (paper.length > 0) {
    layer.push({
      data: { values: paper.map((p) => ({ ...p, source: 'paper' })) },
      mark: { type: 'tick', color: '#111', thickness: 2.5 },
      encoding: { x, xOffset, y, tooltip: [{ field: 'group' }, { field: 'series' }, { field: 'value', format: o.format, title: 'paper' }] },
    });
  }
  if (o.rule !== undefined) {
    layer.push({ data: { values: [{ y: o.rule }] }, mark: { type: 'rule', color: '#888', strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(o.heading, o.subtitle),
    config: CONFIG,
    width: o.width ?? Math.max(560, o.groups.length * Math.max(40, o.series.length * 16)),
    height: 260,
    layer,
  } as TopLevelSpec;
}

export function coverageChart(servers: string[], policies: string[], ours: GroupedValue[], paper: GroupedValue[]): TopLevelSpec {
  return groupedBars({
    heading: 'Recovery coverage per server (Table I)',
    // Counted over every statement the suite ran, not sampled: there is no sampling error to draw.
    subtitle: (paper.length ? 'bars: ours; black ticks: the paper' : 'bars: ours') + '; counted over every statement executed (no sample, so no interval)',
    groups: servers, series: policies, yTitle: '% of statements inside the window', xTitle: 'server',
    yDomain: [0, 100], format: '.1f',
  }, ours, paper);
}

export function slowdownChart(heading: string, programs: string[], configs: string[], ours: GroupedValue[], paper: GroupedValue[]): TopLevelSpec {
  const spread = ours.filter((v) => v.lo !== undefined);
  const noisy = spread.filter((v) => v.noise).length;
  const noiseText = spread.length === 0 ? '' :
    `; whiskers: min–max over the runs; pale bars (${noisy} of ${spread.length}): the spread includes 1.0 — no difference from the baseline beyond the noise`;
  return groupedBars({
    heading,
    subtitle: (paper.length ? 'bars: ours; black ticks: the paper (geomean only); ' : '') + 'dashed line: the baseline (1.0)' + noiseText,
    groups: programs, series: configs, yTitle: 'slowdown vs baseline (×)', xTitle: 'program',
    rule: 1, format: '.3f',
  }, ours, paper);
}

export interface DisruptionPoint {
  /** Simulated interval between injected crashes (the unit is the x title's). */
  interval: number;
  series: string;
  value: number;
}

export function disruptionChart(yTitle: string, xTitle: string, subtitle: string, points: DisruptionPoint[], series: string[]): TopLevelSpec {
  const emphasis = series.includes('geomean') ? 'geomean' : null;
  const ticks = [...new Set(points.map((p) => p.interval))].sort((a, b) => b - a);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title('Service disruption under repeated crashes (Fig. 3)', subtitle),
    config: CONFIG,
    width: 560,
    height: 300,
    data: { values: points.map((p) => ({ ...p, main: p.series === emphasis })) },
    encoding: {
      x: {
        field: 'interval', type: 'quantitative', title: xTitle,
        scale: { type: 'log', reverse: true, nice: false, ...(ticks.length ? { domain: [ticks[ticks.length - 1], ticks[0]] } : {}) },
        axis: { values: ticks, format: '.3~r', labelOverlap: true, grid: true },
      },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false, nice: true } },
      color: { field: 'series', type: 'nominal', title: null, sort: series, scale: { domain: series, range: disruptionRange(series, emphasis) }, legend: { orient: 'right', labelLimit: 160 } },
      tooltip: [{ field: 'series' }, { field: 'interval', title: 'interval' }, { field: 'value', format: '.3f' }],
    },
    layer: [
      { mark: { type: 'line', opacity: 0.85 }, encoding: { strokeWidth: { condition: { test: 'datum.main', value: 3.5 }, value: 1.3 } } },
      { mark: { type: 'point', filled: true, size: 26 } },
    ],
  } as TopLevelSpec;
}

/** Muted colours for the programs, black for the emphasized geomean. */
function disruptionRange(series: string[], emphasis: string | null): string[] {
  const palette = ['#4a7fc1', '#e07b39', '#4e9a58', '#8d5fb5', '#c8453c', '#8c6d31', '#d16ba5', '#17becf', '#bcbd22', '#7f7f7f', '#393b79', '#e6ab02', '#1b9e77', '#a6761d'];
  let i = 0;
  return series.map((s) => (s === emphasis ? '#111111' : palette[i++ % palette.length]!));
}

let libs: Promise<{ vl: typeof import('vega-lite', { with: { 'resolution-mode': 'import' } }); vega: typeof import('vega', { with: { 'resolution-mode': 'import' } }) }> | null = null;

function load() {
  libs ??= (async () => ({ vl: await import('vega-lite'), vega: await import('vega') }))();
  return libs;
}

/** A spec to a standalone SVG document (renderer 'none': no canvas needed; text widths are estimated). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vl, vega } = await load();
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers gradient and clip ids from a counter global to the process
 * (gradient_0, gradient_1, ...): the same chart gets another id the second
 * time, and charts inline in one page could share one. Renaming each id to
 * `<prefix>-<n>`, in order of appearance, makes them stable and unique.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  if (ids.length === 0) return svg;
  const rename = new Map(ids.map((id, i) => [id, `${prefix}-${i}`]));
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${rename.get(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (m, id: string) => (rename.has(id) ? `url(#${rename.get(id)})` : m))
    .replace(/href="#([^"]+)"/g, (m, id: string) => (rename.has(id) ? `href="#${rename.get(id)}"` : m));
}

/** True when the SVG holds at least one drawn mark (a path, rect, line or symbol inside a mark group). */
export function svgHasMarks(svg: string): boolean {
  return /<g class="mark-(rect|symbol|line|rule|area|text)[^"]*"[^>]*>\s*<(path|line|text)/.test(svg);
}
