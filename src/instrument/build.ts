/*
 * The instrumentation build step (run after tsc): read the five
 * recoverable servers' sources, check the state discipline, find their
 * blocks, and emit every variant to dist/variants/<variant>/ with a block
 * map. Our analog of OSIRIS's and EDFI's LLVM link-time passes.
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
import { VARIANTS, VariantName, variantDir } from '../osiris/build-variants';
import type { BlockMap } from '../edfi/block-map';

const RT = '__rt';
/** The recoverable servers, in boot-image order of src/os/servers/index.ts (MFS stays uninstrumented). */
const SERVERS = ['pm', 'vfs', 'rs', 'ds', 'vm'] as const;
const BOOT_ORDER = ['pm', 'vfs', 'rs', 'ds', 'vm', 'mfs'];
/** Files holding recovery code: blocks listed, but never fault locations. */
const RECOVERY_FILES = new Set(['rs/recovery.ts']);

export interface SourceUnit { server: string; file: string; abs: string; text: string; sf: ts.SourceFile }

export function readSources(root: string): SourceUnit[] {
  const units: SourceUnit[] = [];
  for (const server of SERVERS) {
    const dir = path.join(root, 'src', 'os', 'servers', server);
    for (const file of listTs(dir)) {
      const abs = path.join(dir, file);
      const text = fs.readFileSync(abs, 'utf8');
      units.push({ server, file, abs, text, sf: ts.createSourceFile(abs, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS) });
    }
  }
  return units;
}

function listTs(dir: string, prefix = ''): string[] {
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
    violations.push(...checkDiscipline(u.sf, `src/os/servers/${rel}`));
    blocks.push(...analyzeFile(u.sf, { server: u.server, file: u.file, excludeFaults: RECOVERY_FILES.has(rel) ? 'recovery code' : null }));
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

function transformersFor(v: VariantName, byKey: Map<string, BlockInfo>): ts.TransformerFactory<ts.SourceFile>[] {
  switch (v) {
    case 'baseline': return [loopGuardPass(RT)];
    case 'ckpt': return [storeHookPass(RT), loopGuardPass(RT)];
    case 'osiris': return [windowClonePass(RT), loopGuardPass(RT)];
    case 'osiris+edfi': return [blockPass('edfi', byKey, RT), windowClonePass(RT), loopGuardPass(RT)];
    case 'osiris+prof': return [blockPass('prof', byKey, RT), windowClonePass(RT), loopGuardPass(RT)];
  }
}

/** Point imports that leave the server's folder at the compiled modules in dist/src. */
function rewriteRequires(js: string, srcFile: string, outFile: string, serverDir: string, root: string): string {
  return js.replace(/require\("(\.[^"]*)"\)/g, (whole, spec: string) => {
    const target = path.resolve(path.dirname(srcFile), spec);
    if (target.startsWith(serverDir + path.sep)) return whole;
    const compiled = path.join(root, 'dist', path.relative(root, target));
    let rel = path.relative(path.dirname(outFile), compiled).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = './' + rel;
    return `require("${rel}")`;
  });
}

/** Instrument one source text for a variant; `blocks` are that file's blocks (from analyzeFile). Returns CommonJS code. */
export function instrumentText(text: string, fileName: string, v: VariantName, blocks: BlockInfo[]): string {
  const byKey = new Map<string, BlockInfo>();
  for (const b of blocks) byKey.set(b.key, b);
  return ts.transpileModule(text, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    transformers: { before: transformersFor(v, byKey) },
    reportDiagnostics: false,
  }).outputText;
}

export function emitVariant(root: string, v: VariantName, units: SourceUnit[], blocks: BlockInfo[]): string {
  const outDir = path.join(root, 'dist', 'variants', variantDir(v));
  fs.rmSync(outDir, { recursive: true, force: true });
  const digest = crypto.createHash('sha256');
  for (const u of units) {
    const fileBlocks = blocks.filter((b) => b.server === u.server && b.file === u.file);
    const outputText = instrumentText(u.text, u.abs, v, fileBlocks);
    const outFile = path.join(outDir, u.server, u.file.replace(/\.ts$/, '.js'));
    const runtime = path.relative(path.dirname(outFile), path.join(root, 'dist', 'src', 'osiris', 'hooks.js')).split(path.sep).join('/');
    let js = rewriteRequires(outputText, u.abs, outFile, path.join(root, 'src', 'os', 'servers', u.server), root);
    js = js.replace(/^("use strict";\n)?/, (m) => `${m}const ${RT} = require("${runtime.startsWith('.') ? runtime : './' + runtime}");\n`);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, js);
    digest.update(`${u.server}/${u.file}\n${js}\n`);
  }
  const hash = digest.digest('hex').slice(0, 16);
  const index = ['"use strict";', `// Boot image of variant ${v} (generated).`,
    ...BOOT_ORDER.map((s) => s === 'mfs'
      ? `const mfs = require("../../src/os/servers/mfs/main.js").mfsServer;`
      : `const ${s} = require("./${s}/main.js").${s}Server;`),
    `exports.BOOT_SERVERS = [${BOOT_ORDER.join(', ')}];`, `exports.VARIANT = ${JSON.stringify(v)};`, `exports.HASH = ${JSON.stringify(hash)};`, ''];
  fs.writeFileSync(path.join(outDir, 'index.js'), index.join('\n'));
  const map: BlockMap = { variant: v, hash, blocks };
  fs.writeFileSync(path.join(outDir, 'blocks.json'), JSON.stringify(map));
  return hash;
}

export function main(): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  const units = readSources(root);
  const { blocks, violations } = analyzeAll(units);
  if (violations.length > 0) {
    for (const x of violations) process.stderr.write(`${x.file}:${x.line}: ${x.message}\n`);
    process.stderr.write(`instrument: ${violations.length} state-discipline violation(s); the build fails\n`);
    process.exitCode = 1;
    return;
  }
  for (const v of VARIANTS) emitVariant(root, v, units, blocks);
  process.stdout.write(`instrument: ${units.length} files, ${blocks.length} blocks, ${VARIANTS.length} variants\n`);
}

if (require.main === module) main();

