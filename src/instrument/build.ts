/*
 * The instrumentation build step (run after tsc): read the five
 * recoverable servers' sources and the library code linked into each of
 * them, check the state discipline, find their blocks, and emit every
 * variant to dist/variants/<variant>/ with a block map. Our analog of
 * OSIRIS's and EDFI's LLVM link-time passes.
 *
 * Linked library code: the SEF (src/os/sef: receive loop, dispatch, reply
 * helpers, worker threads) is emitted once per server into that server's
 * folder of the variant, its blocks that server's (ids "pm:sef/loop.ts:…"),
 * as the prototype's link-time passes saw libsys in every server binary.
 * It gets the fault/counter blocks and the loop guards, never the store
 * hooks: the SEF's own state (the loop's locals, the worker pool) is not
 * the server's data section. The SEF hooks (hooks.ts, the recovery layer's
 * entry points) stay out, like the prototype's checkpoint library.
 *
 * Build switch: SANITYCHECKS (sanity.ts), off unless the environment sets
 * SANITYCHECKS=1 for the build, as MINIX builds its servers.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import ts from 'typescript';
import { analyzeFile, BlockInfo } from './blocks';
import { checkDiscipline, Violation } from './discipline';
import { blockPass } from './passes/block-pass';
import { storeHookPass } from './passes/store-hooks';
import { windowClonePass } from './passes/window-clone';
import { loopGuardPass } from './passes/loop-guard';
import { sanityFunctions, stripSanityChecks } from './sanity';
import { eraseNonNullAssertions } from './erase-assertions';
import { VARIANTS, VariantName, variantDir } from '../osiris/build-variants';
import type { BlockMap } from '../edfi/block-map';

const RT = '__rt';
/** The recoverable servers, in boot-image order of src/os/servers/index.ts (MFS stays uninstrumented). */
const SERVERS = ['pm', 'vfs', 'rs', 'ds', 'vm'] as const;
const BOOT_ORDER = ['pm', 'vfs', 'rs', 'ds', 'vm', 'mfs'];
/** Files holding recovery code: blocks listed, but never fault locations. */
const RECOVERY_FILES = new Set(['rs/recovery.ts']);
/** Library code linked into every recoverable server, relative to src/os; hooks.ts (into the recovery layer) is left out. */
export const SHARED_FILES = ['sef/loop.ts', 'sef/server.ts', 'sef/threads.ts'];

export interface SourceUnit {
  server: string;
  /** Path within the server folder ("forkexit.ts"), or of the linked library file within src/os ("sef/loop.ts"). */
  file: string;
  abs: string;
  text: string;
  sf: ts.SourceFile;
  /** The server's copy of linked library code. */
  shared?: boolean;
}

export interface BuildOptions {
  /** Keep the servers' self-checks (functions marked @sanitycheck); MINIX: SANITYCHECKS. */
  sanityChecks: boolean;
}

export const DEFAULT_BUILD: BuildOptions = { sanityChecks: false };

function parse(abs: string, text: string): ts.SourceFile {
  return ts.createSourceFile(abs, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** A source file as the build analyses it: read, with its non-null assertions erased. */
function readUnitText(abs: string): string {
  return eraseNonNullAssertions(fs.readFileSync(abs, 'utf8'), abs);
}

/** The servers' own sources, as written. */
export function readSources(root: string): SourceUnit[] {
  const units: SourceUnit[] = [];
  for (const server of SERVERS) {
    const dir = path.join(root, 'src', 'os', 'servers', server);
    for (const file of listTs(dir)) {
      const abs = path.join(dir, file);
      const text = readUnitText(abs);
      units.push({ server, file, abs, text, sf: parse(abs, text) });
    }
  }
  return units;
}

/** Every unit the build emits: each server's sources, then its copy of the linked library, as the build switches leave them. */
export function readBuildUnits(root: string, opts: BuildOptions = DEFAULT_BUILD): SourceUnit[] {
  const own = readSources(root);
  const out: SourceUnit[] = [];
  for (const server of SERVERS) {
    const units = own.filter((u) => u.server === server);
    for (const file of SHARED_FILES) {
      const abs = path.join(root, 'src', 'os', file);
      const text = readUnitText(abs);
      units.push({ server, file, abs, text, sf: parse(abs, text), shared: true });
    }
    if (opts.sanityChecks) { out.push(...units); continue; }
    const names = sanityFunctions(units.map((u) => u.sf));
    for (const u of units) {
      if (names.size === 0) { out.push(u); continue; }
      const text = stripSanityChecks(u.sf, names, path.relative(root, u.abs));
      out.push(text === u.text ? u : { ...u, text, sf: parse(u.abs, text) });
    }
  }
  return out;
}

/** The .ts files under `dir` (declarations left out), relative to it, in a fixed order. */
export function listTs(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listTs(dir, rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

export function analyzeAll(units: SourceUnit[]): { blocks: BlockInfo[]; violations: Violation[] } {
  const blocks: BlockInfo[] = [];
  const violations: Violation[] = [];
  for (const u of units) {
    const rel = `${u.server}/${u.file}`;
    // The discipline is the data section's; the SEF's own state is not one.
    if (!u.shared) violations.push(...checkDiscipline(u.sf, `src/os/servers/${rel}`));
    blocks.push(...analyzeFile(u.sf, { server: u.server, file: u.file, excludeFaults: !u.shared && RECOVERY_FILES.has(rel) ? 'recovery code' : null, shared: u.shared }));
  }
  blocks.forEach((b, i) => { b.index = i; });
  const seen = new Map<number, string>();
  for (const b of blocks) {
    const other = seen.get(b.hash);
    if (other !== undefined && other !== b.id) throw new Error(`block id hash collision: ${b.id} and ${other}`);
    seen.set(b.hash, b.id);
  }
  return { blocks, violations };
}

function transformersFor(v: VariantName, byKey: Map<string, BlockInfo>, shared: boolean): ts.TransformerFactory<ts.SourceFile>[] {
  if (shared) {
    switch (v) {
      case 'osiris+edfi': return [blockPass('edfi', byKey, RT), loopGuardPass(RT)];
      case 'osiris+prof': return [blockPass('prof', byKey, RT), loopGuardPass(RT)];
      default: return [loopGuardPass(RT)];
    }
  }
  switch (v) {
    case 'baseline': return [loopGuardPass(RT)];
    case 'ckpt': return [storeHookPass(RT), loopGuardPass(RT)];
    case 'osiris': return [windowClonePass(RT), loopGuardPass(RT)];
    case 'osiris+edfi': return [blockPass('edfi', byKey, RT), windowClonePass(RT), loopGuardPass(RT)];
    case 'osiris+prof': return [blockPass('prof', byKey, RT), windowClonePass(RT), loopGuardPass(RT)];
  }
}

/**
 * Point imports at what this server links: its own files stay, the linked
 * library at the server's copy of it, anything else at the compiled
 * modules in dist/src.
 */
function rewriteRequires(js: string, srcFile: string, outFile: string, serverDir: string, outServerDir: string, root: string): string {
  const osDir = path.join(root, 'src', 'os');
  return js.replace(/require\("(\.[^"]*)"\)/g, (whole, spec: string) => {
    const target = path.resolve(path.dirname(srcFile), spec);
    if (target.startsWith(serverDir + path.sep)) return whole;
    const lib = path.relative(osDir, target).split(path.sep).join('/').replace(/\.(js|ts)$/, '');
    const compiled = SHARED_FILES.includes(`${lib}.ts`)
      ? path.join(outServerDir, `${lib}.js`)
      : path.join(root, 'dist', path.relative(root, target));
    let rel = path.relative(path.dirname(outFile), compiled).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = './' + rel;
    return `require("${rel}")`;
  });
}

/** Instrument one source text for a variant; `blocks` are that file's blocks (from analyzeFile). Returns CommonJS code. */
export function instrumentText(text: string, fileName: string, v: VariantName, blocks: BlockInfo[], shared = false): string {
  const byKey = new Map<string, BlockInfo>();
  for (const b of blocks) byKey.set(b.key, b);
  return ts.transpileModule(text, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    transformers: { before: transformersFor(v, byKey, shared) },
    reportDiagnostics: false,
  }).outputText;
}

export function emitVariant(root: string, v: VariantName, units: SourceUnit[], blocks: BlockInfo[], opts: BuildOptions = DEFAULT_BUILD): string {
  const outDir = path.join(root, 'dist', 'variants', variantDir(v));
  fs.rmSync(outDir, { recursive: true, force: true });
  const digest = crypto.createHash('sha256');
  for (const u of units) {
    const fileBlocks = blocks.filter((b) => b.server === u.server && b.file === u.file && (b.shared === true) === (u.shared === true));
    const outputText = instrumentText(u.text, u.abs, v, fileBlocks, u.shared === true);
    const outFile = path.join(outDir, u.server, u.file.replace(/\.ts$/, '.js'));
    const runtime = path.relative(path.dirname(outFile), path.join(root, 'dist', 'src', 'osiris', 'hooks.js')).split(path.sep).join('/');
    let js = rewriteRequires(outputText, u.abs, outFile, path.join(root, 'src', 'os', 'servers', u.server), path.join(outDir, u.server), root);
    js = js.replace(/^("use strict";\n)?/, (m) => `${m}const ${RT} = require("${runtime.startsWith('.') ? runtime : './' + runtime}");\n`);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, js);
    digest.update(`${u.shared ? `${u.server}:` : `${u.server}/`}${u.file}\n${js}\n`);
  }
  const hash = digest.digest('hex').slice(0, 16);
  // Each instrumented server runs its own copy of the SEF loop (ServerDef.main).
  const index = ['"use strict";', `// Boot image of variant ${v} (generated).`,
    ...BOOT_ORDER.map((s) => s === 'mfs'
      ? `const mfs = require("../../src/os/servers/mfs/main.js").mfsServer;`
      : `const ${s} = { ...require("./${s}/main.js").${s}Server, main: require("./${s}/sef/loop.js").serverMain };`),
    `exports.BOOT_SERVERS = [${BOOT_ORDER.join(', ')}];`, `exports.VARIANT = ${JSON.stringify(v)};`, `exports.HASH = ${JSON.stringify(hash)};`,
    `exports.SANITYCHECKS = ${opts.sanityChecks};`, ''];
  fs.writeFileSync(path.join(outDir, 'index.js'), index.join('\n'));
  const map: BlockMap = { variant: v, hash, sanityChecks: opts.sanityChecks, blocks };
  fs.writeFileSync(path.join(outDir, 'blocks.json'), JSON.stringify(map));
  return hash;
}

export function main(): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  const opts: BuildOptions = { sanityChecks: process.env.SANITYCHECKS === '1' };
  const units = readBuildUnits(root, opts);
  const { blocks, violations } = analyzeAll(units);
  if (violations.length > 0) {
    for (const x of violations) process.stderr.write(`${x.file}:${x.line}: ${x.message}\n`);
    process.stderr.write(`instrument: ${violations.length} state-discipline violation(s); the build fails\n`);
    process.exitCode = 1;
    return;
  }
  for (const v of VARIANTS) emitVariant(root, v, units, blocks, opts);
  const shared = blocks.filter((b) => b.shared).length;
  process.stdout.write(`instrument: ${units.length} files, ${blocks.length} blocks (${shared} in linked SEF copies), ${VARIANTS.length} variants, SANITYCHECKS ${opts.sanityChecks ? 1 : 0}\n`);
}

if (require.main === module) main();

