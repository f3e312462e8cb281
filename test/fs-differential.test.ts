/*
 * The file-system differential test: every scenario of helpers/fs-scenarios.ts
 * runs through the simulation's libc (a program in a booted system) and
 * against the host kernel (fixtures/fs-host.py), and the two traces of
 * (call, result, errno) must agree step by step. Ids, inode numbers, times
 * and directory sizes are normalised away; a step marked `kept` is a
 * difference kept on purpose (docs/fs-differences.md) and must show exactly
 * the outcomes written beside it on each side.
 *
 * The host side needs Linux and python3 (skipped with one line otherwise);
 * the scenarios with an unprivileged user or chown need a root host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { SCENARIOS, Scenario, Step } from './helpers/fs-scenarios';
import { Outcome, runInSimulation, SIM_USER } from './helpers/fs-sim';

const ROOT = path.resolve(__dirname, '..', '..');
const HOST_PROGRAM = path.join(ROOT, 'test', 'fixtures', 'fs-host.py');
const DOC = path.join(ROOT, 'docs', 'fs-differences.md');
/** nobody/nogroup on Debian-like hosts. */
const HOST_USER = { uid: 65534, gid: 65534 };

/** Runs of one character longer than 8 shown as c{n}, so long names stay readable. */
function short(x: string): string {
  return x.replace(/(.)\1{7,}/g, (m, c: string) => `${c}{${m.length}}`);
}

function label(st: Step): string {
  const args: string[] = [];
  if (st.fd !== undefined) args.push(`#${st.fd}`);
  if (st.path !== undefined) args.push(JSON.stringify(short(st.path)));
  if (st.path2 !== undefined) args.push(JSON.stringify(short(st.path2)));
  if (st.flags) args.push(st.flags.join('|'));
  if (st.mode !== undefined && st.op !== 'writefile' && st.op !== 'open') args.push('0' + st.mode.toString(8));
  if (st.uid !== undefined) args.push(String(st.uid), String(st.gid));
  if (st.length !== undefined) args.push(String(st.length));
  if (st.how) args.push(st.how);
  return `${st.user ? '[user] ' : ''}${st.op}(${args.join(', ')})`;
}

interface Ids { uid: number; gid: number }
/** Who owns files on one side: the ids shown as "root" (the ids the scenarios run with) and as "user". */
interface Side { root: Ids; user: Ids }

const SIM_SIDE: Side = { root: { uid: 0, gid: 0 }, user: SIM_USER };
/** On a non-root host the scenarios that need no root run with the host's own ids in root's place. */
const HOST_SIDE: Side = {
  root: { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 },
  user: HOST_USER,
};

/** One outcome as text, with that side's ids shown as "root" and "user". */
function formatOutcome(o: Outcome, side: Side): string {
  if (o.e !== null) return `-1 ${o.e}`;
  const r = o.r;
  if (Array.isArray(r)) return `[${r.map((x) => short(String(x))).join(',')}]`;
  if (typeof r === 'string') return r === 'fd' ? 'fd' : JSON.stringify(r);
  if (r !== null && typeof r === 'object') {
    const s = r as { kind: string; perm: number; uid: number; gid: number; nlink: number; size: number };
    const who = (id: number, root: number, user: number) => (id === root ? 'root' : id === user ? 'user' : String(id));
    const u = who(s.uid, side.root.uid, side.user.uid);
    const g = who(s.gid, side.root.gid, side.user.gid);
    let out = `${s.kind} ${s.perm.toString(8).padStart(4, '0')} u=${u} g=${g}`;
    // A directory's link count and size depend on the host's file system (btrfs says 1; sizes are block multiples).
    if (s.kind !== 'dir') out += ` n=${s.nlink}`;
    if (s.kind === 'reg' || s.kind === 'lnk') out += ` s=${s.size}`;
    return out;
  }
  return String(r);
}

function hostUnavailable(): string | null {
  if (process.platform !== 'linux') return `fs differential test skipped: the host is ${process.platform}, the kept differences are written against Linux`;
  const v = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return 'fs differential test skipped: python3 is not on PATH (install python3 to run it)';
  return null;
}

interface HostRun { root: boolean; traces: Record<string, Outcome[]> }

function runOnHost(scenarios: Scenario[]): HostRun {
  const r = spawnSync('python3', [HOST_PROGRAM], {
    input: JSON.stringify({ user: HOST_USER, umask: 0o022, scenarios }), encoding: 'utf8', maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`fs-host.py failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as HostRun;
}

/** The mismatches of one scenario, one line each (empty when the traces agree). */
function compare(sc: Scenario, sim: Outcome[], host: Outcome[]): string[] {
  const bad: string[] = [];
  if (sim.length !== sc.steps.length || host.length !== sc.steps.length) {
    return [`${sc.name}: ${sc.steps.length} steps, the simulation answered ${sim.length}, the host ${host.length}`];
  }
  sc.steps.forEach((st, i) => {
    const a = formatOutcome(sim[i]!, SIM_SIDE);
    const b = formatOutcome(host[i]!, HOST_SIDE);
    const where = `${sc.name} #${i} ${label(st)}`;
    if (st.kept) {
      if (a !== st.kept.sim || b !== st.kept.host) {
        bad.push(`${where}: kept difference ${st.kept.id} expects sim ${st.kept.sim} / host ${st.kept.host}, got sim ${a} / host ${b}`);
      }
    } else if (a !== b) {
      bad.push(`${where}: sim ${a}, host ${b}`);
    }
  });
  return bad;
}

const unavailable = hostUnavailable();
const hostIsRoot = HOST_SIDE.root.uid === 0;

test('every kept difference is explained in docs/fs-differences.md', () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const ids = new Set(SCENARIOS.flatMap((sc) => sc.steps.filter((st) => st.kept).map((st) => st.kept!.id)));
  for (const id of ids) assert.match(doc, new RegExp(`^#+ .*\\{#${id}\\}`, 'm'), `docs/fs-differences.md has a heading for ${id}`);
});

if (unavailable) {
  test('fs differential: simulation against the host kernel', { skip: unavailable }, () => {});
} else {
  const runnable = SCENARIOS.filter((sc) => hostIsRoot || !sc.root);
  const sim = runInSimulation(runnable);
  const host = runOnHost(runnable);
  for (const sc of SCENARIOS) {
    const skip = runnable.includes(sc) ? false : `fs differential scenario ${sc.name} skipped: it needs a root host (drops to uid ${HOST_USER.uid} or calls chown)`;
    test(`fs differential: ${sc.name}`, { skip }, () => {
      const simTrace = sim[sc.name], hostTrace = host.traces[sc.name];
      assert.ok(simTrace && hostTrace, `${sc.name} ran on both sides`);
      const bad = compare(sc, simTrace, hostTrace);
      assert.deepEqual(bad, [], `the simulation and the host disagree:\n  ${bad.join('\n  ')}`);
    });
  }
}
