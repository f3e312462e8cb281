/*
 * `osiris-fi profile`: the golden profiling run and the eligible fault
 * locations it yields, per server.
 */
import { loadBlockMap } from '../sim/variants';
import { FAULT_TYPES } from '../edfi/fault-types';
import { RECOVERABLE } from '../os/proto/endpoints';
import { eligibleBlocks, goldenProfile } from '../experiment/golden';
import { table } from './format';
import { defaultCacheDir } from './shared';

export interface ProfileOptions { json?: boolean; cache?: boolean }

export function runProfileCommand(opts: ProfileOptions): number {
  const map = loadBlockMap('osiris+prof');
  const profile = goldenProfile(opts.cache === false ? null : defaultCacheDir());
  const eligible = eligibleBlocks(profile, map.blocks);
  const boot = new Set(profile.bootBlocks);
  const tested = new Set<number>();
  for (const t of profile.tests) for (const b of t.blocks) tested.add(b);
  const perServer = RECOVERABLE.map((s) => {
    const mine = map.blocks.filter((b) => b.server === s);
    return {
      server: s, total: mine.length, boot: mine.filter((b) => boot.has(b.index)).length,
      tests: mine.filter((b) => tested.has(b.index)).length, eligible: eligible.filter((b) => b.server === s).length,
    };
  });
  const byServer: Record<string, number> = {};
  for (const r of perServer) byServer[r.server] = r.eligible;
  const faultTypes: Record<string, number> = {};
  for (const t of FAULT_TYPES) faultTypes[t] = eligible.filter((b) => b.candidates.includes(t)).length;
  if (opts.json) {
    process.stdout.write(JSON.stringify({
      build: map.hash, perServer,
      eligible: { total: eligible.length, byServer, blocks: eligible.map((b) => ({ id: b.id, server: b.server, file: b.file, line: b.line, function: b.function })) },
      faultTypes,
      tests: profile.tests.map((t) => ({ name: t.name, status: t.status, simTime: t.simTime, blocks: t.blocks.length })),
    }, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(table(['server', 'blocks', 'at boot', 'by tests', 'eligible'],
    perServer.map((r) => [r.server, r.total, r.boot, r.tests, r.eligible]), ['l', 'r', 'r', 'r', 'r']) + '\n');
  process.stdout.write(`\n${eligible.length} eligible fault locations (executed by a test, not at boot, outside recovery code)\n\n`);
  process.stdout.write(table(['fault type', 'eligible blocks'], Object.entries(faultTypes), ['l', 'r']) + '\n');
  return 0;
}
