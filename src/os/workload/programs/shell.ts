/*
 * Test programs: shell-like job control. Each program is its own small
 * shell: it forks, rewires descriptors with pipe/dup2/open as sh does, and
 * execs itself as one of a few tools (gen, xor, sum, cat, head, echo, ...)
 * chosen by argv[1]. Checked: data integrity through pipelines, `$?`,
 * `&&`/`||`, redirections, close-on-exec, SIGPIPE/EPIPE when the reader
 * leaves early, and eight pipelines running at once.
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { EACCES, EBADF, ECHILD, ENOENT, ENOEXEC, EPIPE } from '../../proto/errno';
import { FD_CLOEXEC, F_GETFD, F_SETFD, O_APPEND, O_CLOEXEC, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from '../../proto/fs';
import { SIGPIPE, SIGTERM, SIG_DFL, SIG_IGN, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WNOHANG, WTERMSIG } from '../../proto/signals';
import { T, TestProgram, test } from '../test-api';

const CHUNK = 512;
const dec = new TextDecoder();

/** The data `gen seed n` produces: a small LCG, the top byte of each step. */
function lcgBytes(seed: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}

function xorBytes(b: Uint8Array, k: number): Uint8Array {
  const o = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) o[i] = b[i]! ^ k;
  return o;
}

/** 32-bit FNV-1a. */
function fnv(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193) >>> 0;
  return h;
}

/** What `sum` prints for some data. */
function sumLine(b: Uint8Array): string {
  return `${b.length}:${fnv(b).toString(16)}\n`;
}

/** Write everything in chunks; -1 (errno set) on the first failure. */
function* writeAll(u: Libc, fd: number, data: Uint8Array, chunk = CHUNK): Co<number> {
  for (let off = 0; off < data.length;) {
    const n = yield* u.write(fd, data.subarray(off, Math.min(off + chunk, data.length)));
    if (n <= 0) return -1;
    off += n;
  }
  return data.length;
}

/* ---- the tools: what the program does when exec'd with a tool name ---- */

function* tool(t: T, u: Libc, args: string[]): Co<void> {
  const [name, a1, a2] = args;
  switch (name) {
    case 'gen':
    case 'gencatch': {
      let caught = 0;
      if (name === 'gencatch') t.eq(yield* u.signal(SIGPIPE, function* () { caught++; }), 0, 'gencatch installs a SIGPIPE handler');
      if ((yield* writeAll(u, 1, lcgBytes(Number(a1), Number(a2)))) < 0) {
        if (u.errno !== EPIPE) return yield* u.exit(1);
        return yield* u.exit(name === 'gencatch' ? (caught === 1 ? 33 : 34) : 32);
      }
      return;
    }
    case 'xor': {
      const k = Number(a1);
      while (true) {
        const b = yield* u.read(0, 4096);
        if (b === null) return yield* u.exit(2);
        if (b.length === 0) return;
        if ((yield* writeAll(u, 1, xorBytes(b, k))) < 0) return yield* u.exit(3);
      }
    }
    case 'sum': {
      const all = yield* u.readAll(0, 4096);
      if (all === null) return yield* u.exit(2);
      if ((yield* u.write(1, sumLine(all))) < 0) return yield* u.exit(3);
      return;
    }
    case 'cat': {
      const all = yield* u.readAll(0, 4096);
      if (all === null || (yield* writeAll(u, 1, all)) < 0) return yield* u.exit(2);
      return;
    }
    case 'head': {
      // Read exactly n bytes, print them and leave without draining the pipe.
      const want = Number(a1);
      const got: number[] = [];
      while (got.length < want) {
        const b = yield* u.read(0, want - got.length);
        if (b === null) return yield* u.exit(2);
        if (b.length === 0) break;
        for (const x of b) got.push(x);
      }
      if ((yield* u.write(1, Uint8Array.from(got))) !== got.length) return yield* u.exit(3);
      return;
    }
    case 'echo':
      if ((yield* u.write(1, args.slice(1).join(' ') + '\n')) < 0) return yield* u.exit(2);
      return;
    case 'both':
      if ((yield* u.write(1, 'out\n')) !== 4 || (yield* u.write(2, 'err\n')) !== 4) return yield* u.exit(2);
      return;
    case 'exit':
      return yield* u.exit(Number(a1));
    case 'kill':
      yield* u.kill(yield* u.getpid(), Number(a1));
      return yield* u.exit(99);
    case 'fdopen':
      // 1: the descriptor was inherited; 0: it is closed (EBADF).
      if ((yield* u.fstat(Number(a1))) !== null) return yield* u.exit(1);
      return yield* u.exit(u.errno === EBADF ? 0 : 2);
    case 'touch': {
      const fd = yield* u.open(a1!, O_CREAT | O_WRONLY, 0o644);
      if (fd < 0 || (yield* u.close(fd)) < 0) return yield* u.exit(1);
      return;
    }
    default:
      t.fail(`unknown tool ${name} ${a2 ?? ''}`);
  }
}

/* ---- the shell ---- */

interface Redirs {
  /** A descriptor of the shell to become fd 0 / fd 1 (a pipe end), or -1. */
  stdin?: number;
  stdout?: number;
  /** `< path`, `> path`, `>> path`, `2>&1`. */
  inFile?: string;
  outFile?: string;
  append?: boolean;
  errToOut?: boolean;
  /** Signals set to SIG_IGN before exec (ignored dispositions survive exec). */
  ignore?: number[];
}

/** $? for a wait status: the exit code, or 128 + the signal. */
function shellStatus(status: number): number {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

class Shell {
  /** Every pipe descriptor the shell holds: a child closes those it does not use. */
  open: number[] = [];

  constructor(readonly t: T, readonly u: Libc, readonly prog: string) {}

  *pipe(): Co<[number, number]> {
    const p = this.t.okCall(yield* this.u.pipe(), 'pipe')!;
    this.open.push(p[0], p[1]);
    return p;
  }

  *close(fd: number): Co<void> {
    this.t.eq(yield* this.u.close(fd), 0, `shell closes ${fd}`);
    this.open = this.open.filter((x) => x !== fd);
  }

  /** fork, rewire descriptors as sh does, exec the tool; returns the pid. */
  *spawn(argv: string[], r: Redirs = {}): Co<number> {
    const prog = this.prog;
    const inherited = this.open.slice();
    const pid = yield* this.u.fork(function* (c: Libc): Co<number> {
      const t = new T(c);
      const i = r.stdin ?? -1;
      let o = r.stdout ?? -1;
      const temps: number[] = [];
      // dup2(stdin, 0) would clobber a stdout living on fd 0: move it out of the way first.
      if (o === 0) { o = t.okCall(yield* c.dup(o), 'dup stdout out of the way'); temps.push(o); }
      if (i >= 0 && i !== 0) t.eq(yield* c.dup2(i, 0), 0, 'dup2 onto stdin');
      if (o >= 0 && o !== 1) t.eq(yield* c.dup2(o, 1), 1, 'dup2 onto stdout');
      for (const fd of [...inherited, ...temps]) {
        if ((fd === 0 && i >= 0) || (fd === 1 && o >= 0)) continue;
        t.eq(yield* c.close(fd), 0, `child closes inherited ${fd}`);
      }
      const files: [string | undefined, number, number][] = [
        [r.inFile, 0, O_RDONLY],
        [r.outFile, 1, O_WRONLY | O_CREAT | (r.append ? O_APPEND : O_TRUNC)],
      ];
      for (const [path, target, flags] of files) {
        if (path === undefined) continue;
        const fd = yield* c.open(path, flags, 0o644);
        if (fd < 0) return 1; // sh: a failed redirection fails the command without running it
        if (fd !== target) {
          t.eq(yield* c.dup2(fd, target), target, `dup2 the redirection onto ${target}`);
          t.eq(yield* c.close(fd), 0, 'close the redirection descriptor');
        }
      }
      if (r.errToOut) t.eq(yield* c.dup2(1, 2), 2, '2>&1');
      for (const sig of r.ignore ?? []) t.eq(yield* c.signal(sig, SIG_IGN), 0, `ignore signal ${sig}`);
      yield* c.exec(`/bin/${prog}`, [prog, ...argv]);
      return c.errno === ENOENT ? 127 : 126;
    });
    this.t.ok(pid > 0, `fork for ${argv[0]}`);
    return pid;
  }

  *wait(pid: number): Co<number> {
    const [w, status] = yield* this.u.waitpid(pid);
    this.t.eq(w, pid, `wait for ${pid}`);
    return shellStatus(status);
  }

  /** A simple command: $?. */
  *run(argv: string[], r: Redirs = {}): Co<number> {
    return yield* this.wait(yield* this.spawn(argv, r));
  }

  /**
   * Start `cmds` connected by pipes; the last one writes to `stdout` (or
   * inherits). The shell closes the pipes it made. Returns the pids.
   */
  *startPipeline(cmds: string[][], stdout = -1): Co<number[]> {
    const pids: number[] = [];
    let prevRead = -1;
    for (let k = 0; k < cmds.length; k++) {
      const p = k < cmds.length - 1 ? yield* this.pipe() : null;
      pids.push(yield* this.spawn(cmds[k]!, { stdin: prevRead, stdout: p ? p[1] : stdout }));
      // The shell keeps no pipe end it handed out: the next stage needs only p[0].
      if (p) yield* this.close(p[1]);
      if (prevRead >= 0) yield* this.close(prevRead);
      prevRead = p ? p[0] : -1;
    }
    return pids;
  }

  /** Run a pipeline with its output captured: [output, $? of each stage]. */
  *capture(cmds: string[][]): Co<[Uint8Array, number[]]> {
    const r = yield* this.pipe();
    const pids = yield* this.startPipeline(cmds, r[1]);
    yield* this.close(r[1]);
    const out = yield* this.u.readAll(r[0], 4096);
    this.t.ok(out !== null, 'read the pipeline\'s output');
    yield* this.close(r[0]);
    const st: number[] = [];
    for (const pid of pids) st.push(yield* this.wait(pid));
    return [out ?? new Uint8Array(0), st];
  }
}

function shellTest(name: string, main: (t: T, sh: Shell, u: Libc) => Co<void>): TestProgram {
  return test(name, 'shell', function* (t: T, u: Libc, argv: string[]): Co<void> {
    if (argv.length > 1) return yield* tool(t, u, argv.slice(1));
    const sh = new Shell(t, u, name);
    yield* main(t, sh, u);
    t.eq(sh.open.length, 0, 'the shell closed every pipe it made');
  });
}

/* ---- the programs ---- */

function* shPipe3(t: T, sh: Shell): Co<void> {
  const data = lcgBytes(12345, 10000);
  const [out, st] = yield* sh.capture([['gen', '12345', '10000'], ['xor', '90'], ['sum']]);
  t.eq(dec.decode(out), sumLine(xorBytes(data, 90)), 'gen | xor | sum: the checksum matches the model');
  t.eq(st.length, 3, 'three stages ran');
  for (let k = 0; k < 3; k++) t.eq(st[k], 0, `stage ${k} exit status`);

  const [out2, st2] = yield* sh.capture([['gen', '777', '6000'], ['xor', '165'], ['xor', '165'], ['sum']]);
  t.eq(dec.decode(out2), sumLine(lcgBytes(777, 6000)), 'xor twice gives the data back through four stages');
  t.ok(st2.every((s) => s === 0), 'every stage of the four-stage pipeline succeeded');

  const [out3, st3] = yield* sh.capture([['gen', '5', '3000'], ['cat'], ['cat']]);
  t.eq(out3.length, 3000, 'gen | cat | cat passes every byte');
  t.eq(fnv(out3), fnv(lcgBytes(5, 3000)), 'and in order');
  t.ok(st3.every((s) => s === 0), 'the cat pipeline succeeded');

  const [out4, st4] = yield* sh.capture([['gen', '9', '0'], ['sum']]);
  t.eq(dec.decode(out4), sumLine(new Uint8Array(0)), 'an empty stream gives end of file at once');
  t.eq(st4[1], 0, 'sum of nothing succeeds');
}

function* shStatus(t: T, sh: Shell, u: Libc): Co<void> {
  const base = '/tmp/sh_status';
  t.eq(yield* sh.run(['exit', '0']), 0, 'true: $? = 0');
  t.eq(yield* sh.run(['exit', '1']), 1, 'false: $? = 1');
  t.eq(yield* sh.run(['exit', '3']), 3, 'exit 3: $? = 3');
  t.eq(yield* sh.run(['exit', '255']), 255, 'exit 255: $? = 255');
  t.eq(yield* sh.run(['kill', String(SIGTERM)]), 128 + SIGTERM, 'killed by SIGTERM: $? = 143');

  // Missing and unrunnable programs: 127 and 126, as sh reports them.
  const missing = yield* u.fork(function* (c: Libc): Co<number> {
    const ct = new T(c);
    ct.err(yield* c.exec('/bin/sh_status_no_such', ['x']), ENOENT, 'exec of a missing file');
    return 127;
  });
  t.eq(yield* sh.wait(missing), 127, 'command not found: $? = 127');
  t.eq(yield* u.writeFile(`${base}.noexec`, '#!osiris sh_status\n', 0o644), 19, 'a program file without execute permission');
  t.eq(yield* u.writeFile(`${base}.junk`, 'not a program\n', 0o755), 14, 'an executable file that is no program');
  const noexec = yield* u.fork(function* (c: Libc): Co<number> {
    const ct = new T(c);
    ct.err(yield* c.exec(`${base}.noexec`, ['x']), EACCES, 'exec without execute permission');
    ct.err(yield* c.exec(`${base}.junk`, ['x']), ENOEXEC, 'exec of a file with no program header');
    return 126;
  });
  t.eq(yield* sh.wait(noexec), 126, 'not executable: $? = 126');

  // cmd1 && cmd2, cmd1 || cmd2: cmd2 runs depending on cmd1's status.
  const andOr = function* (op: '&&' | '||', first: string[], file: string): Co<number> {
    const s = yield* sh.run(first);
    if ((op === '&&') === (s === 0)) return yield* sh.run(['touch', file]);
    return s;
  };
  t.eq(yield* andOr('&&', ['exit', '1'], `${base}.a`), 1, 'false && touch: $? = 1');
  t.err(yield* u.open(`${base}.a`, O_RDONLY), ENOENT, 'false && touch did not run touch');
  t.eq(yield* andOr('&&', ['exit', '0'], `${base}.b`), 0, 'true && touch: $? = 0');
  t.okCall(yield* u.stat(`${base}.b`), 'true && touch ran touch');
  t.eq(yield* andOr('||', ['exit', '2'], `${base}.c`), 0, 'false || touch: $? = 0');
  t.okCall(yield* u.stat(`${base}.c`), 'false || touch ran touch');
  t.eq(yield* andOr('||', ['exit', '0'], `${base}.d`), 0, 'true || touch: $? = 0');
  t.err(yield* u.open(`${base}.d`, O_RDONLY), ENOENT, 'true || touch did not run touch');

  // A pipeline's status is its last command's.
  const [, st1] = yield* sh.capture([['exit', '3'], ['cat']]);
  t.eq(st1[st1.length - 1], 0, 'exit 3 | cat: $? = 0');
  t.eq(st1[0], 3, 'but the first stage did exit 3');
  const [, st2] = yield* sh.capture([['echo', 'x'], ['exit', '4']]);
  t.eq(st2[st2.length - 1], 4, 'echo | exit 4: $? = 4');

  for (const f of ['noexec', 'junk', 'b', 'c']) t.hk.eq(yield* u.unlink(`${base}.${f}`), 0, `unlink ${f}`);
}

function* shRedirect(t: T, sh: Shell, u: Libc): Co<void> {
  const out = '/tmp/sh_redirect.out';
  const copy = '/tmp/sh_redirect.copy';
  const data = '/tmp/sh_redirect.data';
  t.eq(yield* sh.run(['echo', 'hello', 'world'], { outFile: out }), 0, 'echo hello world > out');
  t.eq(yield* u.readFile(out), 'hello world\n', '> wrote the output to the file');
  t.eq(yield* sh.run(['echo', 'again'], { outFile: out, append: true }), 0, 'echo again >> out');
  t.eq(yield* u.readFile(out), 'hello world\nagain\n', '>> appended');
  t.eq(yield* sh.run(['echo', 'x'], { outFile: out }), 0, 'echo x > out');
  t.eq(yield* u.readFile(out), 'x\n', '> truncated the file first');

  t.eq(yield* sh.run(['cat'], { inFile: out, outFile: copy }), 0, 'cat < out > copy');
  t.eq(yield* u.readFile(copy), 'x\n', '< fed the file to stdin');
  t.eq(yield* sh.run(['cat'], { inFile: '/tmp/sh_redirect.missing', outFile: copy }), 1, 'cat < missing: the redirection fails');
  t.eq(yield* u.readFile(copy), 'x\n', 'the failed command did not touch its output file');

  t.eq(yield* sh.run(['gen', '31', '5000'], { outFile: data }), 0, 'gen > data');
  const st = t.okCall(yield* u.stat(data), 'stat data')!;
  t.eq(st.size, 5000, 'the file holds all 5000 bytes');
  const r = yield* sh.pipe();
  const pid = yield* sh.spawn(['sum'], { inFile: data, stdout: r[1] });
  yield* sh.close(r[1]);
  const sum = yield* u.readAll(r[0], 4096);
  yield* sh.close(r[0]);
  t.eq(yield* sh.wait(pid), 0, 'sum < data | (captured)');
  t.eq(dec.decode(sum ?? new Uint8Array(0)), sumLine(lcgBytes(31, 5000)), 'the file\'s checksum matches the model');

  t.eq(yield* sh.run(['both'], { outFile: out, errToOut: true }), 0, 'both > out 2>&1');
  t.eq(yield* u.readFile(out), 'out\nerr\n', 'stdout and stderr went to the same file, in order');
  t.eq(yield* sh.run(['both'], { outFile: out }), 2, 'without 2>&1 the write to the closed fd 2 fails');

  // The shell's own descriptors: close-on-exec ones vanish, the others are inherited.
  const keep = t.okCall(yield* u.open(data, O_RDONLY), 'open a descriptor to inherit');
  const cloexec = t.okCall(yield* u.open(data, O_RDONLY | O_CLOEXEC), 'open with O_CLOEXEC');
  t.eq(yield* u.fcntl(cloexec, F_GETFD), FD_CLOEXEC, 'F_GETFD shows FD_CLOEXEC');
  t.eq(yield* sh.run(['fdopen', String(keep)]), 1, 'an ordinary descriptor survives exec');
  t.eq(yield* sh.run(['fdopen', String(cloexec)]), 0, 'an O_CLOEXEC descriptor is closed by exec');
  t.eq(yield* u.fcntl(keep, F_SETFD, FD_CLOEXEC), 0, 'F_SETFD FD_CLOEXEC');
  t.eq(yield* sh.run(['fdopen', String(keep)]), 0, 'now it is closed by exec too');
  t.hk.eq(yield* u.close(keep), 0, 'close');
  t.hk.eq(yield* u.close(cloexec), 0, 'close');

  for (const f of [out, copy, data]) t.hk.eq(yield* u.unlink(f), 0, `unlink ${f}`);
}

function* shSigpipe(t: T, sh: Shell, u: Libc): Co<void> {
  const data = lcgBytes(4242, 20000);
  const [out, st] = yield* sh.capture([['gen', '4242', '20000'], ['head', '10']]);
  t.eq(out.length, 10, 'head printed 10 bytes');
  t.eq(fnv(out), fnv(data.subarray(0, 10)), 'the first 10 bytes of the stream');
  t.eq(st[1], 0, 'head exited normally');
  t.eq(st[0], 128 + SIGPIPE, 'the writer was killed by SIGPIPE once the reader left');

  const [out2, st2] = yield* (function* (): Co<[Uint8Array, number[]]> {
    const r = yield* sh.pipe();
    const p = yield* sh.pipe();
    const gen = yield* sh.spawn(['gen', '4242', '20000'], { stdout: p[1], ignore: [SIGPIPE] });
    yield* sh.close(p[1]);
    const head = yield* sh.spawn(['head', '100'], { stdin: p[0], stdout: r[1] });
    yield* sh.close(p[0]);
    yield* sh.close(r[1]);
    const o = yield* u.readAll(r[0], 4096);
    yield* sh.close(r[0]);
    return [o ?? new Uint8Array(0), [yield* sh.wait(gen), yield* sh.wait(head)]];
  })();
  t.eq(fnv(out2), fnv(data.subarray(0, 100)), 'head 100 with SIGPIPE ignored');
  t.eq(st2[0], 32, 'with SIGPIPE ignored (across exec) the writer gets EPIPE');
  t.eq(st2[1], 0, 'head exited normally');

  const [, st3] = yield* sh.capture([['gencatch', '1', '20000'], ['head', '1']]);
  t.eq(st3[0], 33, 'a caught SIGPIPE runs the handler once and write fails with EPIPE');

  // The shell itself writing into a pipe nobody reads.
  const p = yield* sh.pipe();
  yield* sh.close(p[0]);
  t.eq(yield* u.signal(SIGPIPE, SIG_IGN), 0, 'the shell ignores SIGPIPE');
  t.err(yield* u.write(p[1], 'lost'), EPIPE, 'write to a pipe with no reader');
  t.hk.eq(yield* u.signal(SIGPIPE, SIG_DFL), 0, 'restore SIGPIPE');
  yield* sh.close(p[1]);

  // A reader that leaves first gets end of file; a normal pipeline still works afterwards.
  const [out4, st4] = yield* sh.capture([['gen', '8', '1500'], ['sum']]);
  t.eq(dec.decode(out4), sumLine(lcgBytes(8, 1500)), 'gen | sum after the SIGPIPE runs');
  t.ok(st4.every((s) => s === 0), 'both stages succeeded');
}

/** Unixbench's shell8: eight pipelines at once, each "gen | xor | sum > file". */
function* shShell8(t: T, sh: Shell, u: Libc): Co<void> {
  const N = 8;
  const file = (i: number) => `/tmp/sh_shell8.${i}`;
  const size = (i: number) => 64 + i * 50;
  const owner: number[] = [];
  const last: number[] = [];
  for (let i = 0; i < N; i++) {
    const a = yield* sh.pipe();
    const b = yield* sh.pipe();
    const g = yield* sh.spawn(['gen', String(1000 + i), String(size(i))], { stdout: a[1] });
    const x = yield* sh.spawn(['xor', String(i * 31 + 1)], { stdin: a[0], stdout: b[1] });
    const s = yield* sh.spawn(['sum'], { stdin: b[0], outFile: file(i) });
    for (const fd of [a[0], a[1], b[0], b[1]]) yield* sh.close(fd);
    owner.push(g, x, s);
    last.push(s);
  }
  // Reap in whatever order they finish, as a shell's wait does.
  const status = new Array<number>(owner.length).fill(-1);
  for (let k = 0; k < owner.length; k++) {
    const [pid, st] = yield* u.wait();
    const idx = owner.indexOf(pid);
    t.ok(idx >= 0 && status[idx]! < 0, `wait returned a child of a pipeline (${pid})`);
    status[idx] = shellStatus(st);
  }
  t.err((yield* u.wait())[0], ECHILD, 'no child left');
  for (let i = 0; i < N; i++) {
    t.ok(status[3 * i] === 0 && status[3 * i + 1] === 0 && status[3 * i + 2] === 0, `pipeline ${i}: every stage succeeded`);
    t.eq(yield* u.readFile(file(i)), sumLine(xorBytes(lcgBytes(1000 + i, size(i)), i * 31 + 1)), `pipeline ${i}: the checksum matches`);
    t.hk.eq(yield* u.unlink(file(i)), 0, `unlink ${file(i)}`);
  }
  t.eq(last.length, N, 'eight pipelines ran');
}

/** `(echo a; echo b) | cat > file`, a background job, and `wait`. */
function* shGroup(t: T, sh: Shell, u: Libc): Co<void> {
  const out = '/tmp/sh_group.out';
  const prog = sh.prog;
  const p = yield* sh.pipe();
  const group = yield* u.fork(function* (c: Libc): Co<number> {
    // The subshell: runs its commands one after the other on the shared stdout.
    const ct = new T(c);
    const sub = new Shell(ct, c, prog);
    ct.hk.eq(yield* c.close(p[0]), 0, 'subshell closes the read end');
    let status = 0;
    for (const words of [['echo', 'a'], ['echo', 'b', 'c']]) status = yield* sub.run(words, { stdout: p[1] });
    ct.hk.eq(yield* c.close(p[1]), 0, 'subshell closes the write end');
    return status;
  });
  t.ok(group > 0, 'fork the subshell');
  const cat = yield* sh.spawn(['cat'], { stdin: p[0], outFile: out });
  yield* sh.close(p[0]);
  yield* sh.close(p[1]);
  t.eq(yield* sh.wait(cat), 0, 'cat finished at end of file, after both echos');
  t.eq(yield* sh.wait(group), 0, 'the subshell\'s status is its last command\'s');
  t.eq(yield* u.readFile(out), 'a\nb c\n', '(echo a; echo b c) | cat > file');

  // `exit 5 &` then other work, then `wait %1`.
  const bg = yield* sh.spawn(['exit', '5']);
  t.eq(yield* sh.run(['echo', 'fg'], { outFile: out }), 0, 'a foreground command while the job runs');
  const [w, st] = yield* u.waitpid(bg);
  t.eq(w, bg, 'wait for the background job');
  t.eq(shellStatus(st), 5, 'its status is kept until the shell waits');
  t.eq(yield* u.readFile(out), 'fg\n', 'the foreground command\'s output');
  const [none] = yield* u.waitpid(-1, WNOHANG);
  t.eq(none, -1, 'no job is left');
  t.hk.eq(yield* u.unlink(out), 0, 'unlink the output');
}

export const shellTests: TestProgram[] = [
  shellTest('sh_pipe3', function* (t, sh) { yield* shPipe3(t, sh); }),
  shellTest('sh_status', shStatus),
  shellTest('sh_redirect', shRedirect),
  shellTest('sh_sigpipe', shSigpipe),
  shellTest('sh_shell8', shShell8),
  shellTest('sh_group', shGroup),
];
