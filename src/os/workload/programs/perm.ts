/*
 * Test programs: permissions (modelled on the MINIX 3 POSIX tests for
 * chmod/fchmod, access, open's EACCES, directory search and write
 * permission, the sticky bit, umask, chown, utime and exec permission).
 * Unprivileged parts run in forked children that drop to uid 100 (or 101)
 * and exit; the test itself stays root and removes what it made.
 *
 * The entry points into this file are:
 *   permTests   the perm_* programs, in running order
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { EACCES, EBADF, EEXIST, EINVAL, ENOENT, ENOEXEC, ENOTDIR, EPERM } from '../../proto/errno';
import {
  F_OK, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, R_OK, S_IFMT, S_IFREG, S_ISDIR, S_ISFIFO,
  S_ISLNK, S_ISUID, S_ISVTX, W_OK, X_OK,
} from '../../proto/fs';
import { WEXITSTATUS, WIFEXITED } from '../../proto/signals';
import { T, TestProgram, test } from '../test-api';

function must<V>(t: T, v: V | null, what: string): V {
  return t.okCall(v, what) as V;
}

function rc(v: unknown): number | null {
  return v === null ? null : 0;
}

/**
 * Run `body` in a child that has become uid (and gid) `id`; the child's checks must all pass.
 * The child checks through its own T: errno lives in the child's libc.
 */
function* asUser(t: T, u: Libc, id: number, body: (t: T, c: Libc) => Co<void>): Co<void> {
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    if ((yield* c.setgid(id)) !== 0) return 90;
    if ((yield* c.setuid(id)) !== 0) return 91;
    if ((yield* c.getuid()) !== id || (yield* c.geteuid()) !== id) return 92;
    yield* body(new T(c), c);
    return 0;
  });
  t.ok(pid > 0, 'fork');
  const [p, status] = yield* u.waitpid(pid);
  t.ok(p === pid && WIFEXITED(status), `child as uid ${id} exited`);
  t.eq(WEXITSTATUS(status), 0, `child as uid ${id} passed its checks`);
}

function denied(r: number, c: Libc): boolean {
  return r === -1 && (c.errno === EPERM || c.errno === EACCES);
}

function* mode(t: T, u: Libc, path: string): Co<number> {
  return must(t, yield* u.stat(path), `stat ${path}`).mode & 0o7777;
}

/** What perm_exec's set-user-id probe reports in its exit status. */
const PROBE_EUID = 1;
const PROBE_RUID = 2;
const PROBE_OPEN_DENIED = 4;
const PROBE_ACCESS_REAL = 8;
const PROBE_BASE = 0x40;
const PROBE_SECRET = '/tmp/perm_exec.secret';

export const permTests: TestProgram[] = [
  test('perm_chmod', 'perm', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/perm_chmod.a';
    const L = '/tmp/perm_chmod.l';
    const D = '/tmp/perm_chmod.d';
    const U = '/tmp/perm_chmod.u';
    t.eq(yield* u.writeFile(P, 'data', 0o644), 4, 'create');
    t.eq(yield* u.chmod(P, 0o600), 0, 'chmod 600');
    const s = must(t, yield* u.stat(P), 'stat');
    t.ok((s.mode & S_IFMT) === S_IFREG && (s.mode & 0o7777) === 0o600, 'permission bits changed, type kept');
    t.eq(yield* u.chmod(P, 0o4755), 0, 'chmod with set-user-id');
    t.eq(yield* mode(t, u, P), 0o4755, 'set-user-id bit kept for root');
    const fd = must(t, yield* u.open(P, O_RDONLY), 'open');
    t.eq(yield* u.fchmod(fd, 0o640), 0, 'fchmod');
    t.eq(yield* mode(t, u, P), 0o640, 'fchmod applied');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.err(yield* u.chmod('/tmp/perm_chmod.none', 0o644), ENOENT, 'chmod of a missing file');
    t.err(yield* u.chmod(P + '/x', 0o644), ENOTDIR, 'chmod below a file');
    t.err(yield* u.fchmod(30, 0o644), EBADF, 'fchmod of a bad descriptor');
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir');
    t.eq(yield* u.chmod(D, 0o711), 0, 'chmod directory');
    const ds = must(t, yield* u.stat(D), 'stat directory');
    t.ok(S_ISDIR(ds.mode) && (ds.mode & 0o7777) === 0o711, 'directory mode changed, type kept');
    t.eq(yield* u.symlink(P, L), 0, 'symlink');
    t.eq(yield* u.chmod(L, 0o604), 0, 'chmod through a symlink');
    t.eq(yield* mode(t, u, P), 0o604, 'target changed');
    t.ok(S_ISLNK(must(t, yield* u.lstat(L), 'lstat').mode), 'the link is still a link');
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.err(yield* c.chmod(P, 0o666), EPERM, 'non-owner chmod');
      const rf = must(t, yield* c.open(P, O_RDONLY), 'non-owner may read (other r)');
      t.err(yield* c.fchmod(rf, 0o666), EPERM, 'non-owner fchmod');
      t.hk.eq(yield* c.close(rf), 0, 'close');
      t.err(yield* c.chmod(D, 0o777), EPERM, 'non-owner chmod of a directory');
      t.eq(yield* c.writeFile(U, 'mine', 0o644), 4, 'own file');
      const us = must(t, yield* c.stat(U), 'stat own file');
      // POSIX lets the group come from the creator or from the parent directory.
      t.ok(us.uid === 100 && (us.gid === 100 || us.gid === 0), 'owned by uid 100');
      t.eq(yield* c.chmod(U, 0o000), 0, 'owner chmod 000');
      t.err(yield* c.open(U, O_RDONLY), EACCES, 'owner without bits cannot read');
      t.eq(yield* c.chmod(U, 0o640), 0, 'owner may chmod without any permission bits');
      t.eq(yield* c.readFile(U), 'mine', 'readable again');
    });
    t.eq(yield* mode(t, u, P), 0o604, 'failed chmods changed nothing');
    t.eq(yield* mode(t, u, U), 0o640, 'the child\'s chmod took effect');
    for (const p of [U, L, P]) t.hk.eq(yield* u.unlink(p), 0, `unlink ${p}`);
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
  }),

  test('perm_access', 'perm', function* (t: T, u: Libc): Co<void> {
    const P0 = '/tmp/perm_access.0';
    const P6 = '/tmp/perm_access.6';
    const P4 = '/tmp/perm_access.4';
    const PX = '/tmp/perm_access.x';
    const D = '/tmp/perm_access.d';
    t.eq(yield* u.writeFile(P0, '', 0o000), 0, 'mode 000');
    t.eq(yield* u.writeFile(P6, 'secret', 0o600), 6, 'mode 600');
    t.eq(yield* u.writeFile(P4, 'public', 0o644), 6, 'mode 644');
    t.eq(yield* u.writeFile(PX, 'prog', 0o755), 4, 'mode 755');
    t.eq(yield* u.mkdir(D, 0o700), 0, 'private directory');
    t.eq(yield* u.writeFile(D + '/f', 'f', 0o644), 1, 'file in it');
    t.eq(yield* u.access(P0, R_OK | W_OK), 0, 'root may read and write a 000 file');
    t.err(yield* u.access(P4, X_OK), EACCES, 'root may not execute a file without x bits');
    t.eq(yield* u.access(PX, X_OK), 0, 'root may execute a 755 file');
    t.eq(yield* u.access('/tmp', X_OK), 0, 'root may search a directory');
    t.eq(yield* u.access(P0, F_OK), 0, 'F_OK: exists');
    t.err(yield* u.access('/tmp/perm_access.none', F_OK), ENOENT, 'missing file');
    t.err(yield* u.access(P4 + '/x', F_OK), ENOTDIR, 'below a file');
    t.err(yield* u.access(P4, 0o10), EINVAL, 'invalid mode');
    // Effective uid 100, real uid 0: open uses the effective ids, access the real ones.
    const pid = yield* u.fork(function* (c: Libc): Co<number> {
      const t = new T(c);
      t.eq(yield* c.seteuid(100), 0, 'seteuid 100');
      t.ok((yield* c.getuid()) === 0 && (yield* c.geteuid()) === 100, 'real 0, effective 100');
      t.err(yield* c.open(P6, O_RDONLY), EACCES, 'open with the effective uid is refused');
      t.eq(yield* c.access(P6, R_OK | W_OK), 0, 'access with the real uid is granted');
      t.eq(yield* c.access(D + '/f', R_OK), 0, 'access searches with the real uid');
      return 0;
    });
    const [p, status] = yield* u.waitpid(pid);
    t.ok(p === pid && WIFEXITED(status) && WEXITSTATUS(status) === 0, 'seteuid child passed');
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.err(yield* c.access(P6, R_OK), EACCES, '600: no read for others');
      t.eq(yield* c.access(P4, R_OK), 0, '644: others read');
      t.err(yield* c.access(P4, W_OK), EACCES, '644: no write for others');
      t.err(yield* c.access(P4, R_OK | W_OK), EACCES, 'every requested bit must be granted');
      t.eq(yield* c.access(PX, R_OK | X_OK), 0, '755: others read and execute');
      t.err(yield* c.access(P4, X_OK), EACCES, '644: no execute');
      t.eq(yield* c.access(P0, F_OK), 0, 'F_OK needs no permission bits');
      t.err(yield* c.access(D + '/f', F_OK), EACCES, 'no search permission on the directory');
      t.err(yield* c.access(D, R_OK), EACCES, 'private directory unreadable');
    });
    t.hk.eq(yield* u.unlink(D + '/f'), 0, 'unlink d/f');
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
    for (const x of [P0, P6, P4, PX]) t.hk.eq(yield* u.unlink(x), 0, `unlink ${x}`);
  }),

  test('perm_open', 'perm', function* (t: T, u: Libc): Co<void> {
    const A = '/tmp/perm_open.600';
    const B = '/tmp/perm_open.644';
    const C = '/tmp/perm_open.606';
    const G = '/tmp/perm_open.g060';
    const O = '/tmp/perm_open.o044';
    const N = '/tmp/perm_open.new';
    t.hk.eq(yield* u.umask(0), 0o022, 'no creation mask for exact modes');
    t.eq(yield* u.writeFile(A, 'aaaa', 0o600), 4, 'mode 600');
    t.eq(yield* u.writeFile(B, 'bbbb', 0o644), 4, 'mode 644');
    t.eq(yield* u.writeFile(C, 'cccc', 0o606), 4, 'mode 606');
    t.eq(yield* u.writeFile(G, 'gggg', 0o060), 4, 'mode 060');
    t.eq(yield* u.chown(G, 0, 100), 0, 'group 100');
    t.eq(yield* u.writeFile(O, 'oooo', 0o044), 4, 'mode 044');
    t.eq(yield* u.chown(O, 100, 0), 0, 'owner 100');
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.err(yield* c.open(A, O_RDONLY), EACCES, '600 read by others');
      t.err(yield* c.open(A, O_WRONLY), EACCES, '600 write by others');
      const rb = must(t, yield* c.open(B, O_RDONLY), '644 read by others');
      t.eq(yield* c.readStr(rb, 10), 'bbbb', 'read it');
      t.hk.eq(yield* c.close(rb), 0, 'close');
      t.err(yield* c.open(B, O_WRONLY), EACCES, '644 write by others');
      t.err(yield* c.open(B, O_RDWR), EACCES, '644 read/write by others');
      t.err(yield* c.open(B, O_WRONLY | O_TRUNC), EACCES, 'O_TRUNC without write permission');
      t.eq(must(t, yield* c.stat(B), 'stat').size, 4, 'refused O_TRUNC truncated nothing');
      t.err(yield* c.open(B, O_CREAT | O_EXCL | O_WRONLY), EEXIST, 'O_EXCL on an existing file');
      const wc = must(t, yield* c.open(C, O_RDWR), '606 read/write by others');
      t.eq(yield* c.write(wc, 'CC'), 2, 'write it');
      t.hk.eq(yield* c.close(wc), 0, 'close');
      const gf = must(t, yield* c.open(G, O_RDWR), '060 read/write by the group');
      t.hk.eq(yield* c.close(gf), 0, 'close');
      t.err(yield* c.open(O, O_RDONLY), EACCES, 'owner class has no bits: others\' bits do not apply');
      t.eq(yield* c.chmod(O, 0o444), 0, 'owner grants itself read');
      t.eq(yield* c.readFile(O), 'oooo', 'now readable');
      const nf = must(t, yield* c.open(N, O_CREAT | O_EXCL | O_RDWR, 0o644), 'create in /tmp');
      t.eq(yield* c.chmod(N, 0o000), 0, 'chmod own open file to 000');
      t.eq(yield* c.write(nf, 'still'), 5, 'an open descriptor keeps its access');
      t.hk.eq(yield* c.close(nf), 0, 'close');
      t.err(yield* c.open(N, O_RDONLY), EACCES, 'reopen is refused');
      t.err(yield* c.creat('/etc/perm_open.x', 0o644), EACCES, 'create in a root 755 directory');
    });
    t.eq(yield* u.readFile(C), 'CCcc', 'the child\'s write landed');
    const ns = must(t, yield* u.stat(N), 'stat the child\'s file');
    t.ok(ns.uid === 100 && (ns.gid === 100 || ns.gid === 0) && (ns.mode & 0o777) === 0, 'created with the child\'s uid');
    t.eq(yield* u.readFile(N), 'still', 'root reads a 000 file');
    t.err(rc(yield* u.stat('/etc/perm_open.x')), ENOENT, 'nothing created in /etc');
    for (const x of [A, B, C, G, O, N]) t.hk.eq(yield* u.unlink(x), 0, `unlink ${x}`);
  }),

  test('perm_dir_search', 'perm', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/perm_dir_search.priv';
    const S = '/tmp/perm_dir_search.xonly';
    const W = '/tmp/perm_dir_search.ro';
    t.hk.eq(yield* u.umask(0), 0o022, 'no creation mask for exact modes');
    t.eq(yield* u.mkdir(D, 0o700), 0, 'mkdir 700');
    t.eq(yield* u.writeFile(D + '/f', 'pf', 0o666), 2, 'file in 700');
    t.eq(yield* u.mkdir(S, 0o711), 0, 'mkdir 711');
    t.eq(yield* u.writeFile(S + '/f', 'sf', 0o644), 2, 'file in 711');
    t.eq(yield* u.mkdir(W, 0o755), 0, 'mkdir 755');
    t.eq(yield* u.writeFile(W + '/f', 'wf', 0o666), 2, 'file in 755');
    t.eq(yield* u.chmod(D, 0o600), 0, 'chmod 600: no search bit for anyone');
    t.eq(yield* u.readFile(D + '/f'), 'pf', 'root searches a directory without x bits');
    t.eq(yield* u.chdir(D), 0, 'root may chdir into it');
    t.hk.eq(yield* u.chdir('/'), 0, 'chdir /');
    t.eq(yield* u.chmod(D, 0o700), 0, 'chmod 700');
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.err(rc(yield* c.stat(D + '/f')), EACCES, 'stat through a 700 directory');
      t.err(yield* c.open(D + '/f', O_RDONLY), EACCES, 'open through a 700 directory');
      t.err(yield* c.chdir(D), EACCES, 'chdir into a 700 directory');
      t.err(rc(yield* c.readdir(D)), EACCES, 'list a 700 directory');
      t.err(yield* c.creat(D + '/new', 0o644), EACCES, 'create in a 700 directory');
      t.eq(yield* c.readFile(S + '/f'), 'sf', 'search-only directory: known names work');
      t.err(rc(yield* c.readdir(S)), EACCES, 'search-only directory cannot be listed');
      t.eq(yield* c.chdir(S), 0, 'chdir into a search-only directory');
      t.eq(yield* c.readFile('f'), 'sf', 'relative name there');
      t.hk.eq(yield* c.chdir('/'), 0, 'chdir /');
      t.err(yield* c.creat(W + '/new', 0o644), EACCES, 'create without write permission on the directory');
      t.err(yield* c.mkdir(W + '/d', 0o755), EACCES, 'mkdir without write permission');
      t.err(yield* c.unlink(W + '/f'), EACCES, 'unlink without write permission');
      t.err(yield* c.rename(W + '/f', W + '/g'), EACCES, 'rename without write permission');
      t.err(yield* c.symlink('f', W + '/l'), EACCES, 'symlink without write permission');
      t.err(yield* c.link(W + '/f', W + '/h'), EACCES, 'link without write permission');
      t.eq(must(t, yield* c.readdir(W), 'list a 755 directory').length, 3, 'listing allowed');
      const fd = must(t, yield* c.open(W + '/f', O_WRONLY | O_TRUNC), 'a 666 file in it is writable');
      t.eq(yield* c.write(fd, 'WF'), 2, 'write');
      t.hk.eq(yield* c.close(fd), 0, 'close');
    });
    t.eq(yield* u.readFile(W + '/f'), 'WF', 'file rewritten by the child');
    t.eq(yield* u.chmod(W, 0o777), 0, 'open the directory to everyone');
    t.eq(yield* u.mkdir(W + '/rd', 0o755), 0, 'root\'s directory inside');
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.eq(yield* c.mkdir(W + '/mine', 0o755), 0, 'own directory');
      t.err(yield* c.rename(W + '/rd', W + '/mine/rd'), EACCES, 'moving a directory to a new parent needs write on it (..)');
      t.eq(yield* c.rename(W + '/rd', W + '/rd2'), 0, 'renaming it in place does not');
      t.eq(yield* c.rmdir(W + '/mine'), 0, 'rmdir own directory');
      t.eq(yield* c.writeFile(W + '/new', 'n'), 1, 'create with write permission');
      t.eq(yield* c.rename(W + '/f', W + '/g'), 0, 'rename root\'s file (not sticky)');
      t.eq(yield* c.unlink(W + '/g'), 0, 'unlink root\'s file (not sticky)');
      t.eq(yield* c.unlink(W + '/new'), 0, 'unlink own file');
    });
    t.err(rc(yield* u.stat(W + '/g')), ENOENT, 'root\'s file was removed by the child');
    t.hk.eq(yield* u.rmdir(W + '/rd2'), 0, 'rmdir the renamed directory');
    t.hk.eq(yield* u.unlink(D + '/f'), 0, 'unlink');
    t.hk.eq(yield* u.unlink(S + '/f'), 0, 'unlink');
    for (const d of [D, S, W]) t.hk.eq(yield* u.rmdir(d), 0, `rmdir ${d}`);
  }),

  test('perm_sticky', 'perm', function* (t: T, u: Libc): Co<void> {
    const R = '/tmp/perm_sticky.root';
    const U = '/tmp/perm_sticky.u100';
    const U2 = '/tmp/perm_sticky.u100b';
    const E = '/tmp/perm_sticky.emptydir';
    const D = '/tmp/perm_sticky.d';
    t.hk.eq(yield* u.umask(0), 0o022, 'no creation mask for exact modes');
    const tm = must(t, yield* u.stat('/tmp'), 'stat /tmp').mode;
    t.ok((tm & S_ISVTX) !== 0 && (tm & 0o777) === 0o777, '/tmp is 1777');
    t.eq(yield* u.writeFile(R, 'root', 0o666), 4, 'root\'s file');
    t.eq(yield* u.mkdir(E, 0o777), 0, 'root\'s directory');
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.eq(yield* c.writeFile(U, 'u100', 0o644), 4, 'own file in /tmp');
      t.err(yield* c.unlink(R), EPERM, 'cannot unlink another user\'s file in /tmp');
      // rename and rmdir may report the sticky rule as EPERM or EACCES (POSIX).
      t.ok(denied(yield* c.rename(R, '/tmp/perm_sticky.stolen'), c), 'cannot rename it away');
      t.ok(denied(yield* c.rename(U, R), c), 'cannot rename over it');
      t.ok(denied(yield* c.rmdir(E), c), 'cannot remove another user\'s directory');
      const fd = must(t, yield* c.open(R, O_RDWR), 'but may write its 666 contents');
      t.eq(yield* c.write(fd, 'ROOT'), 4, 'write');
      t.hk.eq(yield* c.close(fd), 0, 'close');
    });
    yield* asUser(t, u, 101, function* (t: T, c: Libc): Co<void> {
      t.err(yield* c.unlink(U), EPERM, 'uid 101 cannot unlink uid 100\'s file');
      t.eq(yield* c.writeFile('/tmp/perm_sticky.u101', 'x'), 1, 'uid 101 makes its own');
      t.eq(yield* c.unlink('/tmp/perm_sticky.u101'), 0, 'and removes it');
    });
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.eq(yield* c.rename(U, U2), 0, 'owner renames its file');
      t.eq(yield* c.unlink(U2), 0, 'owner unlinks its file');
    });
    t.eq(yield* u.readFile(R), 'ROOT', 'root\'s file survived, rewritten');
    // The owner of a sticky directory may remove anything in it.
    t.eq(yield* u.mkdir(D, 0o777), 0, 'mkdir');
    t.eq(yield* u.chmod(D, 0o1777), 0, 'make it sticky');
    t.eq(yield* u.chown(D, 100, 100), 0, 'give it to uid 100');
    t.eq(yield* u.writeFile(D + '/rootfile', 'r'), 1, 'root\'s file in it');
    yield* asUser(t, u, 101, function* (t: T, c: Libc): Co<void> {
      t.err(yield* c.unlink(D + '/rootfile'), EPERM, 'a third user may not remove it');
    });
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.eq(yield* c.unlink(D + '/rootfile'), 0, 'the directory owner may');
    });
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
    t.hk.eq(yield* u.rmdir(E), 0, 'root removes its directory');
    t.hk.eq(yield* u.unlink(R), 0, 'root removes its file');
  }),

  test('perm_umask', 'perm', function* (t: T, u: Libc): Co<void> {
    const A = '/tmp/perm_umask.a';
    const B = '/tmp/perm_umask.b';
    const C = '/tmp/perm_umask.c';
    const D = '/tmp/perm_umask.d';
    const D2 = '/tmp/perm_umask.d2';
    const F = '/tmp/perm_umask.fifo';
    t.eq(yield* u.umask(0o077), 0o022, 'default umask 022');
    t.eq(yield* u.umask(0o077), 0o077, 'umask returns the previous mask');
    t.eq(yield* u.writeFile(A, 'a', 0o666), 1, 'create 666');
    t.eq(yield* mode(t, u, A), 0o600, '666 under 077 is 600');
    t.eq(yield* u.mkdir(D, 0o777), 0, 'mkdir 777');
    t.eq(yield* mode(t, u, D), 0o700, '777 under 077 is 700');
    t.eq(yield* u.mkfifo(F, 0o666), 0, 'mkfifo 666');
    const fs = must(t, yield* u.stat(F), 'stat fifo');
    t.ok(S_ISFIFO(fs.mode) && (fs.mode & 0o777) === 0o600, 'fifo mode 600');
    t.eq(yield* u.umask(0), 0o077, 'clear the mask');
    t.eq(yield* u.writeFile(B, 'b', 0o666), 1, 'create 666');
    t.eq(yield* mode(t, u, B), 0o666, 'no mask, no change');
    t.eq(yield* u.umask(0o027), 0, 'mask 027');
    t.eq(yield* u.writeFile(C, 'c', 0o777), 1, 'create 777');
    t.eq(yield* mode(t, u, C), 0o750, '777 under 027 is 750');
    t.eq(yield* u.mkdir(D2, 0o777), 0, 'mkdir 777');
    t.eq(yield* mode(t, u, D2), 0o750, 'directory 750');
    t.eq(yield* u.writeFile(B, 'again', 0o600), 5, 'rewrite an existing file');
    t.eq(yield* mode(t, u, B), 0o666, 'the mask is not applied to an existing file');
    t.eq(yield* u.chmod(A, 0o777), 0, 'chmod 777');
    t.eq(yield* mode(t, u, A), 0o777, 'chmod ignores the mask');
    const pid = yield* u.fork(function* (c: Libc): Co<number> {
      const inherited = yield* c.umask(0);
      const fd = yield* c.creat('/tmp/perm_umask.child', 0o666);
      if (fd < 0) return 2;
      yield* c.close(fd);
      return inherited === 0o027 ? 0 : 1;
    });
    const [p, status] = yield* u.waitpid(pid);
    t.ok(p === pid && WIFEXITED(status) && WEXITSTATUS(status) === 0, 'child inherited the mask 027');
    t.eq(yield* mode(t, u, '/tmp/perm_umask.child'), 0o666, 'the child\'s own mask applied');
    t.eq(yield* u.umask(0o1777), 0o027, 'the child\'s umask did not change ours');
    t.eq(yield* u.umask(0o022), 0o777, 'only the permission bits of a mask are kept');
    t.eq(yield* u.umask(0o022), 0o022, 'restored 022');
    for (const x of [A, B, C, F, '/tmp/perm_umask.child']) t.hk.eq(yield* u.unlink(x), 0, `unlink ${x}`);
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir d');
    t.hk.eq(yield* u.rmdir(D2), 0, 'rmdir d2');
  }),

  test('perm_chown', 'perm', function* (t: T, u: Libc): Co<void> {
    const P = '/tmp/perm_chown.a';
    const Q = '/tmp/perm_chown.b';
    t.eq(yield* u.writeFile(P, 'p', 0o644), 1, 'create');
    t.eq(yield* u.chown(P, 100, 100), 0, 'root chown to 100/100');
    let s = must(t, yield* u.stat(P), 'stat');
    t.ok(s.uid === 100 && s.gid === 100, 'owner and group changed');
    t.eq(yield* u.chown(P, -1, 200), 0, 'chown keeping the owner');
    s = must(t, yield* u.stat(P), 'stat');
    t.ok(s.uid === 100 && s.gid === 200, 'only the group changed');
    t.eq(yield* u.chown(P, 300, -1), 0, 'chown keeping the group');
    s = must(t, yield* u.stat(P), 'stat');
    t.ok(s.uid === 300 && s.gid === 200, 'only the owner changed');
    t.err(yield* u.chown('/tmp/perm_chown.none', 1, 1), ENOENT, 'chown of a missing file');
    t.err(yield* u.chown(P + '/x', 1, 1), ENOTDIR, 'chown below a file');
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.err(yield* c.chown(P, 100, 100), EPERM, 'non-owner cannot take a file');
      t.err(yield* c.utime(P, 1, 2), EPERM, 'non-owner cannot set times');
    });
    t.eq(yield* u.chown(P, 100, 100), 0, 'back to 100/100');
    t.eq(yield* u.writeFile(Q, 'q', 0o755), 1, 'second file');
    t.eq(yield* u.chown(Q, 100, 0), 0, 'give it to 100');
    t.eq(yield* u.chmod(Q, 0o4755), 0, 'set-user-id');
    yield* asUser(t, u, 100, function* (t: T, c: Libc): Co<void> {
      t.err(yield* c.chown(P, 0, -1), EPERM, 'owner cannot give a file away');
      t.err(yield* c.chown(P, 101, 100), EPERM, 'nor to another user');
      t.eq(yield* c.chown(P, -1, 100), 0, 'owner may set the group to its own');
      t.err(yield* c.chown(P, -1, 5), EPERM, 'but not to a group it is not in');
      t.eq(yield* c.utime(P, 1, 2), 0, 'owner may set times');
      t.eq(yield* c.chmod(P, 0o600), 0, 'owner may chmod');
      t.eq(yield* c.chown(Q, -1, 100), 0, 'owner changes the group of a set-user-id file');
    });
    s = must(t, yield* u.stat(P), 'stat');
    t.ok(s.uid === 100 && s.gid === 100 && s.atime === 1 && s.mtime === 2, 'owner\'s changes applied');
    t.eq(s.mode & 0o7777, 0o600, 'owner\'s chmod applied');
    t.eq(yield* mode(t, u, Q), 0o755, 'an unprivileged chown clears set-user-id');
    t.hk.eq(yield* u.unlink(P), 0, 'unlink');
    t.hk.eq(yield* u.unlink(Q), 0, 'unlink');
  }),

  test('perm_exec', 'perm', function* (t: T, u: Libc, argv: string[]): Co<void> {
    if (argv[1] === 'probe') {
      // Run through a set-user-id copy owned by uid 100: report what this process may do.
      let code = PROBE_BASE;
      if ((yield* u.geteuid()) === 100) code |= PROBE_EUID;
      if ((yield* u.getuid()) === 0) code |= PROBE_RUID;
      if ((yield* u.open(PROBE_SECRET, O_RDONLY)) < 0 && u.errno === EACCES) code |= PROBE_OPEN_DENIED;
      if ((yield* u.access(PROBE_SECRET, R_OK)) === 0) code |= PROBE_ACCESS_REAL;
      yield* u.exit(code);
    }
    const X = '/tmp/perm_exec.prog';
    const SU = '/tmp/perm_exec.suid';
    const BAD = '/tmp/perm_exec.bad';
    const D = '/tmp/perm_exec.d';
    /** exec in a child; returns the child's exit status, or 100 + errno when exec failed. */
    function* tryExec(uid: number, path: string, args: string[]): Co<number> {
      const pid = yield* u.fork(function* (c: Libc): Co<number> {
        if (uid !== 0 && ((yield* c.setgid(uid)) !== 0 || (yield* c.setuid(uid)) !== 0)) return 99;
        yield* c.exec(path, args);
        return 100 + c.errno;
      });
      if (pid < 0) return -1;
      const [, status] = yield* u.waitpid(pid);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    }
    t.eq(yield* u.writeFile(X, '#!osiris smoke_fork\n', 0o644), 20, 'a program file without x bits');
    t.eq(yield* tryExec(0, X, [X]), 100 + EACCES, 'exec without x bits');
    t.eq(yield* u.chmod(X, 0o711), 0, 'chmod 711');
    t.eq(yield* tryExec(0, X, [X]), 0, 'exec as root runs the program');
    t.eq(yield* tryExec(100, X, [X]), 0, 'exec of a 711 file by others (no read needed)');
    t.eq(yield* u.chmod(X, 0o700), 0, 'chmod 700');
    t.eq(yield* tryExec(100, X, [X]), 100 + EACCES, 'exec of a 700 file by others');
    t.eq(yield* tryExec(0, '/tmp/perm_exec.none', ['none']), 100 + ENOENT, 'exec of a missing file');
    t.eq(yield* tryExec(0, '/tmp', ['tmp']), 100 + EACCES, 'exec of a directory');
    t.eq(yield* u.writeFile(BAD, 'not a program\n', 0o755), 14, 'a file without the magic');
    t.eq(yield* tryExec(0, BAD, [BAD]), 100 + ENOEXEC, 'exec of a non-program');
    t.eq(yield* u.mkdir(D, 0o700), 0, 'private directory');
    t.eq(yield* u.link(X, D + '/prog'), 0, 'program inside it');
    t.eq(yield* u.chmod(X, 0o755), 0, 'chmod 755');
    t.eq(yield* tryExec(100, D + '/prog', ['prog']), 100 + EACCES, 'exec through a directory without search permission');
    // A set-user-id program runs with its owner's effective uid.
    t.eq(yield* u.writeFile(PROBE_SECRET, 'secret', 0o600), 6, 'root-only file');
    t.eq(yield* u.writeFile(SU, '#!osiris perm_exec\n', 0o755), 19, 'probe program file');
    t.eq(yield* u.chown(SU, 100, 100), 0, 'owned by 100');
    t.eq(yield* u.chmod(SU, S_ISUID | 0o755), 0, 'set-user-id');
    t.eq(yield* mode(t, u, SU), S_ISUID | 0o755, 'mode 4755');
    const all = PROBE_BASE | PROBE_EUID | PROBE_RUID | PROBE_OPEN_DENIED | PROBE_ACCESS_REAL;
    t.eq(yield* tryExec(0, SU, ['perm_exec', 'probe']), all, 'set-user-id exec: euid 100, real uid 0');
    t.eq(yield* u.chmod(SU, 0o755), 0, 'drop set-user-id');
    t.eq(yield* tryExec(0, SU, ['perm_exec', 'probe']), PROBE_BASE | PROBE_RUID | PROBE_ACCESS_REAL, 'plain exec keeps euid 0');
    t.hk.eq(yield* u.unlink(D + '/prog'), 0, 'unlink link');
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
    for (const x of [X, SU, BAD, PROBE_SECRET]) t.hk.eq(yield* u.unlink(x), 0, `unlink ${x}`);
  }),
];

