/*
 * The shell benchmarks, after Unixbench's shell1/shell8 (which run a small
 * script of sort, grep and wc over a text file). Here the benchmark is the
 * shell: for `sort <src >tmp; grep the <tmp | wc >out` it makes the pipes,
 * forks a child per stage, plumbs its stdin/stdout with dup2 and execs the
 * tool — the benchmark program itself, run as `/bin/shell1 -sort` and so
 * on —, waits for the stages, then checks the output file against the
 * answer computed in JS.
 *
 * The entry points into this file are:
 *   shell1       one iteration = one run of the script
 *   shell8       one iteration = eight concurrent runs of the script
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { IOBUF, decoder, encoder } from '../../libc/core';
import { errnoName } from '../../proto/errno';
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from '../../proto/fs';
import { WEXITSTATUS, WIFEXITED } from '../../proto/signals';
import { BenchTool, BenchProgram, need } from './bench-api';

const STDIN = 0;
const STDOUT = 1;
const READ_CHUNK = 512;
const WRITE_CHUNK = 1024;
const GREP_WORD = 'the';

/* ---- the tools (run after exec, with stdin and stdout plumbed) ---- */

function* readAll(u: Libc, fd: number): Co<string | null> {
  let s = '';
  while (true) {
    const n = yield* u.readBuf(fd, IOBUF, READ_CHUNK);
    if (n < 0) return null;
    if (n === 0) return s;
    s += decoder.decode(u.peek(IOBUF, n));
  }
}

function* writeAll(u: Libc, fd: number, s: string): Co<boolean> {
  const b = encoder.encode(s);
  for (let off = 0; off < b.length; off += WRITE_CHUNK) {
    const part = b.subarray(off, Math.min(b.length, off + WRITE_CHUNK));
    if ((yield* u.write(fd, part)) !== part.length) return false;
  }
  return true;
}

function splitLines(s: string): string[] {
  const lines = s.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function sortText(s: string): string {
  return splitLines(s).sort().map((l) => l + '\n').join('');
}

function grepText(s: string, word: string): string {
  return splitLines(s).filter((l) => l.split(' ').includes(word)).map((l) => l + '\n').join('');
}

function wcText(s: string): string {
  const lines = splitLines(s);
  let words = 0;
  for (const l of lines) words += l.split(' ').filter((w) => w !== '').length;
  return `${lines.length} ${words} ${encoder.encode(s).length}\n`;
}

/** A filter tool: stdin through `f` to stdout; exit status 0 on success. */
function filterTool(f: (s: string, argv: string[]) => string): BenchTool {
  return function* (u: Libc, argv: string[]): Co<number> {
    const input = yield* readAll(u, STDIN);
    if (input === null) return 3;
    return (yield* writeAll(u, STDOUT, f(input, argv))) ? 0 : 4;
  };
}

const SHELL_TOOLS: Readonly<Record<string, BenchTool>> = Object.freeze({
  sort: filterTool((s) => sortText(s)),
  grep: filterTool((s, argv) => grepText(s, argv[2] ?? '')),
  wc: filterTool((s) => wcText(s)),
});

/* ---- the script's input ---- */

const VOCABULARY = [
  'the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'a', 'server', 'crashed', 'and',
  'was', 'restarted', 'from', 'its', 'checkpoint', 'while', 'the', 'system', 'kept', 'running',
];

/** 48 lines of 2-6 words from a fixed linear congruential sequence. */
function sourceText(): string {
  let x = 12345;
  const next = (m: number) => { x = (x * 1103515245 + 12345) % 2147483648; return (x >> 8) % m; };
  let s = '';
  for (let i = 0; i < 48; i++) {
    const words: string[] = [];
    const k = 2 + next(5);
    for (let j = 0; j < k; j++) words.push(VOCABULARY[next(VOCABULARY.length)]!);
    s += words.join(' ') + '\n';
  }
  return s;
}

const SOURCE = sourceText();
const EXPECTED = wcText(grepText(sortText(SOURCE), GREP_WORD));

/* ---- the shell ---- */

/**
 * In a forked child: make `inFd` stdin and `outFd` stdout, close every
 * other descriptor in `others`, and exec the tool. Only returns on failure.
 */
function* plumbAndExec(c: Libc, inFd: number, outFd: number, others: number[], prog: string, args: string[]): Co<number> {
  const tmp: number[] = [];
  if (outFd === STDIN) { outFd = yield* c.dup(outFd); if (outFd < 0) return 20; tmp.push(outFd); }
  if (inFd !== STDIN && (yield* c.dup2(inFd, STDIN)) !== STDIN) return 21;
  if (outFd !== STDOUT && (yield* c.dup2(outFd, STDOUT)) !== STDOUT) return 22;
  const closing: number[] = [];
  for (const fd of [...others, inFd, outFd, ...tmp]) {
    if (fd !== STDIN && fd !== STDOUT && !closing.includes(fd)) closing.push(fd);
  }
  for (const fd of closing) if ((yield* c.close(fd)) !== 0) return 23;
  yield* c.exec(`/bin/${prog}`, [prog, ...args]);
  return 24;
}

/**
 * Run one pipeline `tool1 <input | tool2 | ... >output` as a shell does:
 * make the pipes, fork a child per stage, close its own pipe ends, wait for
 * every stage. Returns '' on success, else what went wrong.
 */
function* runPipeline(u: Libc, prog: string, stages: string[][], input: string, output: string): Co<string> {
  const pipes: [number, number][] = [];
  let failure = '';
  for (let k = 0; k + 1 < stages.length && failure === ''; k++) {
    const p = yield* u.pipe();
    if (p === null) failure = `pipe ${errnoName(u.errno)}`;
    else pipes.push(p);
  }
  const pipeFds = pipes.flat();
  const pids: number[] = [];
  for (let k = 0; k < stages.length && failure === ''; k++) {
    const pid = yield* u.fork(function* (c: Libc): Co<number> {
      const inFd = k === 0 ? yield* c.open(input, O_RDONLY) : pipes[k - 1]![0];
      if (inFd < 0) return 25;
      const outFd = k === stages.length - 1 ? yield* c.open(output, O_CREAT | O_WRONLY | O_TRUNC, 0o644) : pipes[k]![1];
      if (outFd < 0) return 26;
      return yield* plumbAndExec(c, inFd, outFd, pipeFds, prog, stages[k]!);
    });
    if (pid < 0) failure = `fork stage ${k}: ${errnoName(u.errno)}`;
    else pids.push(pid);
  }
  for (const fd of pipeFds) yield* u.close(fd);
  for (let k = 0; k < pids.length; k++) {
    const [w, status] = yield* u.waitpid(pids[k]!);
    if (w !== pids[k]) failure ||= `waitpid stage ${k}: ${errnoName(u.errno)}`;
    else if (!WIFEXITED(status) || WEXITSTATUS(status) !== 0) failure ||= `stage ${k} status ${status}`;
  }
  return failure;
}

/**
 * The script, as Unixbench's multi.sh runs it (one command after the
 * other, through a temporary file):
 *   sort <src >tmp; grep the <tmp | wc >out; rm tmp
 * Returns '' when out holds the expected answer, else what went wrong.
 */
function* runScript(u: Libc, prog: string, src: string, tmp: string, out: string): Co<string> {
  let failure = yield* runPipeline(u, prog, [['-sort']], src, tmp);
  if (failure === '') failure = yield* runPipeline(u, prog, [['-grep', GREP_WORD], ['-wc']], tmp, out);
  if ((yield* u.unlink(tmp)) < 0) failure ||= `rm ${tmp}: ${errnoName(u.errno)}`;
  if (failure !== '') return failure;
  const got = yield* u.readFile(out);
  if (got !== EXPECTED) return `output ${JSON.stringify(got)}, expected ${JSON.stringify(EXPECTED)}`;
  return '';
}

function* writeSource(u: Libc, path: string): Co<void> {
  need((yield* u.writeFile(path, SOURCE)) === encoder.encode(SOURCE).length, `write ${path}: ${errnoName(u.errno)}`);
}

export const shell1: BenchProgram = {
  name: 'shell1',
  unit: 'script',
  iterations: 12,
  tools: SHELL_TOOLS,
  body: function* (u: Libc, n: number): Co<number> {
    const src = '/tmp/bench_shell1.src';
    const tmp = '/tmp/bench_shell1.tmp';
    const out = '/tmp/bench_shell1.out';
    yield* writeSource(u, src);
    try {
      for (let i = 0; i < n; i++) {
        const failure = yield* runScript(u, 'shell1', src, tmp, out);
        need(failure === '', `shell1: script ${i}: ${failure}`);
      }
    } finally {
      yield* u.unlink(out);
      yield* u.unlink(src);
    }
    return n;
  },
};

/** Concurrent scripts per shell8 iteration: at most 8 x 3 processes (a shell and a two-stage pipeline each) plus shell8. */
const SHELL8_COPIES = 8;

export const shell8: BenchProgram = {
  name: 'shell8',
  unit: '8 concurrent scripts',
  iterations: 2,
  tools: SHELL_TOOLS,
  body: function* (u: Libc, n: number): Co<number> {
    const src = '/tmp/bench_shell8.src';
    const out = (k: number) => `/tmp/bench_shell8.${k}`;
    yield* writeSource(u, src);
    try {
      for (let i = 0; i < n; i++) {
        const pids: number[] = [];
        for (let k = 0; k < SHELL8_COPIES; k++) {
          const pid = yield* u.fork(function* (c: Libc): Co<number> {
            const failure = yield* runScript(c, 'shell8', src, `${out(k)}.tmp`, out(k));
            need(failure === '', `shell8: script ${i}.${k}: ${failure}`);
            return 0;
          });
          need(pid > 0, `shell8: fork ${errnoName(u.errno)}`);
          pids.push(pid);
        }
        for (let k = 0; k < SHELL8_COPIES; k++) {
          const [w, status] = yield* u.waitpid(pids[k]!);
          need(w === pids[k], `shell8: waitpid ${errnoName(u.errno)}`);
          need(WIFEXITED(status) && WEXITSTATUS(status) === 0, `shell8: script ${i}.${k} status ${status}`);
        }
      }
    } finally {
      for (let k = 0; k < SHELL8_COPIES; k++) yield* u.unlink(out(k));
      yield* u.unlink(src);
    }
    return n;
  },
};
