/*
 * The campaign journal (issue 5): results/<campaign>-<id>/manifest.json says
 * what was run (campaign, tool version, build, faults) and runs.jsonl gets
 * one JSON line per finished run, written and fsync'ed before the next, so
 * a kill -9 loses at most the line being written. Resuming repairs a torn
 * last line and skips the runs already there.
 *
 * The entry points into this file are:
 *   Manifest, RunRecord  what the files hold
 *   createJournal        start a new results directory
 *   openJournal          reopen one to resume: manifest, finished runs, appender
 *   readRuns             the records of a results directory (read-only)
 *   sameCampaign         why two manifests are not of the same campaign and build, or null
 *   JournalError         the one-line error for unusable directories
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Outcome, Detail } from './classify';

export class JournalError extends Error {
  constructor(message: string) { super(message); this.name = 'JournalError'; }
}

export interface Manifest {
  format: 1;
  campaign: { name: string; file: string; identity: object };
  tool: { name: string; version: string };
  /** Hash of the osiris+edfi build's blocks.json: the build runs used. */
  variantHash: string;
  /** Hash of the osiris+prof build the golden profile (and so the fault and test picks) came from. */
  profileHash: string;
  faults: { block: string; faultType: string }[];
  modes: string[];
  /** Total runs of the whole campaign, and of this shard. */
  runs: number;
  shard: { index: number; count: number } | null;
  /** "<fault>|<mode>" of runs not planned: a shuffled test pick found no covering test that fits the run budget (absent: none). */
  unpicked?: string[];
}

export interface RunRecord {
  /** "<blockId>|<faultType>|<mode>" */
  key: string;
  mode: string;
  block: string;
  server: string;
  faultType: string;
  outcome: Outcome;
  detail: Detail;
  activations: number;
  recoveries: number;
  /** "server:decision->action" per recovery, in order. */
  recoveryActions: string[];
  oracleViolations: number;
  /** The invariants the oracle found violated (sorted, once each); absent in journals of older versions. */
  oracleInvariants?: string[];
  failedTests: string[];
  programs: number;
  simTimeNs: number;
  messages: number;
  halt: string | null;
  error: string | null;
  /** Wall-clock time of the run; the only field that varies between identical runs. */
  wallMs: number;
}

export const MANIFEST = 'manifest.json';
export const RUNS = 'runs.jsonl';

export interface Journal {
  dir: string;
  manifest: Manifest;
  /** Finished runs by key (the first record of a key wins). */
  done: Map<string, RunRecord>;
  append(r: RunRecord): void;
  /** Many records with one flush (merging). */
  appendAll(rs: RunRecord[]): void;
  close(): void;
}

function writeAtomic(file: string, text: string): void {
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w');
  try { fs.writeSync(fd, text); fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  fs.renameSync(tmp, file);
}

function appender(dir: string, manifest: Manifest, done: Map<string, RunRecord>): Journal {
  const fd = fs.openSync(path.join(dir, RUNS), 'a');
  let open = true;
  return {
    dir, manifest, done,
    append(r) {
      if (!open) throw new JournalError(`${dir}: journal is closed`);
      if (done.has(r.key)) return;
      fs.writeSync(fd, JSON.stringify(r) + '\n');
      fs.fdatasyncSync(fd);
      done.set(r.key, r);
    },
    appendAll(rs) {
      if (!open) throw new JournalError(`${dir}: journal is closed`);
      const fresh = rs.filter((r) => !done.has(r.key));
      if (fresh.length === 0) return;
      fs.writeSync(fd, fresh.map((r) => JSON.stringify(r) + '\n').join(''));
      fs.fdatasyncSync(fd);
      for (const r of fresh) done.set(r.key, r);
    },
    close() { if (open) { open = false; fs.closeSync(fd); } },
  };
}

export function createJournal(dir: string, manifest: Manifest): Journal {
  if (fs.existsSync(path.join(dir, MANIFEST)) || fs.existsSync(path.join(dir, RUNS))) {
    throw new JournalError(`${dir} already holds results; resume it with --resume ${dir}, or choose another --out`);
  }
  fs.mkdirSync(dir, { recursive: true });
  writeAtomic(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  fs.closeSync(fs.openSync(path.join(dir, RUNS), 'a'));
  return appender(dir, manifest, new Map());
}

export function readManifest(dir: string): Manifest {
  const p = path.join(dir, MANIFEST);
  if (!fs.existsSync(p)) throw new JournalError(`${dir}: no ${MANIFEST}; not a results directory`);
  try { return JSON.parse(fs.readFileSync(p, 'utf8')) as Manifest; } catch (e) {
    throw new JournalError(`${p}: unreadable (${(e as Error).message})`);
  }
}

/**
 * Parse runs.jsonl. A last line without its newline (or unparseable) is a
 * torn write: with `repair` it is truncated away, otherwise ignored. A bad
 * line elsewhere means the file was damaged by something other than a kill.
 */
function parseRuns(dir: string, repair: boolean): Map<string, RunRecord> {
  const p = path.join(dir, RUNS);
  const done = new Map<string, RunRecord>();
  if (!fs.existsSync(p)) return done;
  const text = fs.readFileSync(p, 'utf8');
  let end = text.length;
  const lines = text.split('\n');
  if (!text.endsWith('\n')) {
    const last = lines.pop()!;
    end -= last.length;
  } else lines.pop();
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    let r: RunRecord;
    try { r = JSON.parse(lines[i]) as RunRecord; } catch {
      if (i === lines.length - 1) { end -= lines[i].length + 1; break; }
      throw new JournalError(`${p}: line ${i + 1} is not valid JSON; the journal is damaged`);
    }
    if (typeof r.key !== 'string') throw new JournalError(`${p}: line ${i + 1} has no run key; the journal is damaged`);
    if (!done.has(r.key)) done.set(r.key, r);
  }
  if (repair && end < text.length) {
    fs.truncateSync(p, Buffer.byteLength(text.slice(0, end)));
  }
  return done;
}

export function readRuns(dir: string): RunRecord[] {
  return [...parseRuns(dir, false).values()];
}

export function openJournal(dir: string): Journal {
  const manifest = readManifest(dir);
  const done = parseRuns(dir, true);
  return appender(dir, manifest, done);
}

/** Why two manifests are not of one campaign on one build, or null when they are. */
export function sameCampaign(a: Manifest, b: Manifest): string | null {
  if (a.campaign.name !== b.campaign.name) return `different campaigns (${a.campaign.name} vs ${b.campaign.name})`;
  if (JSON.stringify(a.campaign.identity) !== JSON.stringify(b.campaign.identity)) return `campaign ${a.campaign.name} was changed between them`;
  if (a.tool.version !== b.tool.version) return `different tool versions (${a.tool.version} vs ${b.tool.version})`;
  if (a.variantHash !== b.variantHash) return `different builds (${a.variantHash} vs ${b.variantHash})`;
  if (a.profileHash !== b.profileHash) return `different profiling builds (${a.profileHash} vs ${b.profileHash})`;
  if (JSON.stringify(a.faults) !== JSON.stringify(b.faults)) return 'different fault lists';
  return null;
}
