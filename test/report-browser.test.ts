/*
 * The report page in a real browser: headless Chromium (Debian's
 * `chromium`, which .ci/run installs) loads the page built from small
 * synthetic inputs, and a probe script added to a copy of it measures every
 * chart — its SVG laid out at a real size, with marks of non-zero extent.
 * --dump-dom hands back the probe's findings as attributes.
 *
 * Without Chromium the test is skipped with one line saying how to enable
 * it; with REQUIRE_CHROMIUM=1 (CI, which installs it) its absence fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildReport, writeReport } from '../src/report/build-report';
import { syntheticInputs } from './helpers/report-fixture';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const MISSING = fs.existsSync(CHROMIUM) ? null
  : `Chromium not found at ${CHROMIUM}: install Debian's package (\`apt-get install -y chromium\`, as .ci/run does) or set CHROMIUM to its path`;
const REQUIRED = process.env.REQUIRE_CHROMIUM === '1';

/** Runs after load: one data-probe attribute per chart, "<width>x<height>:<marks drawn>". */
const PROBE = `<script>
window.addEventListener('load', () => {
  const figs = document.querySelectorAll('figure.chart');
  for (const f of figs) {
    const svg = f.querySelector('svg');
    if (!svg) { f.setAttribute('data-probe', 'nosvg'); continue; }
    const r = svg.getBoundingClientRect();
    let drawn = 0;
    for (const el of svg.querySelectorAll('g[class^="mark-"] > path, g[class^="mark-"] > line, g[class^="mark-"] > rect')) {
      const b = el.getBBox();
      if (b.width > 0 || b.height > 0) drawn++;
    }
    f.setAttribute('data-probe', Math.round(r.width) + 'x' + Math.round(r.height) + ':' + drawn);
  }
  document.body.setAttribute('data-probed', String(figs.length));
});
</script>`;

test('every chart of the report renders in headless Chromium', { skip: MISSING !== null && !REQUIRED ? `${MISSING} (skipped; REQUIRE_CHROMIUM=1 makes this a failure)` : false }, async () => {
  assert.equal(MISSING, null, MISSING ?? '');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-browser-'));
  try {
    const doc = await buildReport(syntheticInputs());
    const written = writeReport(doc, path.join(tmp, 'out'));
    const charts = doc.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'chart').map((b) => b.id);
    assert.ok(charts.length >= 4, 'the synthetic report has every kind of chart');
    for (const id of ['surv-syn-transitions-heatmap', 'slowdown-wall', 'coverage-chart']) assert.ok(charts.includes(id), `the page has ${id}`);

    const probed = path.join(tmp, 'out', 'probed.html');
    fs.writeFileSync(probed, fs.readFileSync(written.html, 'utf8').replace('</body>', `${PROBE}\n</body>`));
    const profile = fs.mkdtempSync(path.join(tmp, 'profile-'));
    const r = spawnSync(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--window-size=1280,2000',
      '--dump-dom', `file://${probed}`,
    ], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.error, undefined, `chromium did not run: ${r.error?.message}`);
    assert.equal(r.status, 0, `chromium exited with ${r.status}: ${r.stderr.slice(-2000)}`);
    const dom = r.stdout;
    assert.match(dom, new RegExp(`data-probed="${charts.length}"`), 'the probe ran over every chart');
    for (const id of charts) {
      const m = new RegExp(`<figure[^>]*id="${id}"[^>]*data-probe="([^"]*)"|<figure[^>]*data-probe="([^"]*)"[^>]*id="${id}"`).exec(dom);
      assert.ok(m, `chart ${id}: no probe result`);
      const probe = m[1] ?? m[2];
      assert.ok(probe !== undefined, `chart ${id}: an empty probe match`);
      const pm = /^(\d+)x(\d+):(\d+)$/.exec(probe);
      assert.ok(pm, `chart ${id}: ${probe}`);
      assert.ok(Number(pm[1]) > 200 && Number(pm[2]) > 150, `chart ${id} laid out at ${pm[1]}x${pm[2]}`);
      assert.ok(Number(pm[3]) >= 5, `chart ${id}: only ${pm[3]} marks drawn`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
