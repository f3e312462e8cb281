/*
 * Test programs: directories (modelled on the MINIX 3 POSIX tests for
 * mkdir/rmdir, "." and "..", link counts, chdir/getcwd and relative paths,
 * getdents listings, rename of directories and path resolution). Every
 * program works under /tmp/<its name>.* and removes what it made.
 *
 * The entry points into this file are:
 *   dirTests   the dir_* programs, in running order
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import {
  EBADF, EBUSY, EEXIST, EINVAL, EISDIR, ENAMETOOLONG, ENOENT, ENOTDIR, ENOTEMPTY, EPERM,
} from '../../proto/errno';
import { Dirent, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_WRONLY, SEEK_SET, S_ISDIR, S_ISREG } from '../../proto/fs';
import { WEXITSTATUS, WIFEXITED } from '../../proto/signals';
import { T, TestProgram, test } from '../test-api';

function must<V>(t: T, v: V | null, what: string): V {
  return t.okCall(v, what) as V;
}

function rc(v: unknown): number | null {
  return v === null ? null : 0;
}

function names(ents: Dirent[]): string[] {
  return ents.map((e) => e.name).sort();
}

function inoOf(ents: Dirent[], name: string): number {
  const e = ents.find((x) => x.name === name);
  return e ? e.ino : -1;
}

/** Remove a tree bottom-up with readdir/lstat/unlink/rmdir; returns the names removed, or -1. */
function* removeTree(u: Libc, path: string): Co<number> {
  const ents = yield* u.readdir(path);
  if (ents === null) return -1;
  let n = 0;
  for (const e of ents) {
    if (e.name === '.' || e.name === '..') continue;
    const p = path + '/' + e.name;
    const s = yield* u.lstat(p);
    if (s === null) return -1;
    if (S_ISDIR(s.mode)) {
      const k = yield* removeTree(u, p);
      if (k < 0) return -1;
      n += k;
    } else {
      if ((yield* u.unlink(p)) < 0) return -1;
      n++;
    }
  }
  if ((yield* u.rmdir(path)) < 0) return -1;
  return n + 1;
}

export const dirTests: TestProgram[] = [
  test('dir_mkdir_rmdir', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_mkdir_rmdir.d';
    const F = '/tmp/dir_mkdir_rmdir.f';
    const p0 = must(t, yield* u.stat('/tmp'), 'stat /tmp').nlink;
    t.eq(yield* u.mkdir(D, 0o777), 0, 'mkdir');
    const s = must(t, yield* u.stat(D), 'stat new directory');
    t.ok(S_ISDIR(s.mode), 'is a directory');
    t.eq(s.mode & 0o7777, 0o755, 'mode 0777 less umask 022');
    t.eq(s.nlink, 2, 'new directory has 2 links');
    t.eq(s.uid, yield* u.geteuid(), 'owned by the effective uid');
    t.eq(must(t, yield* u.stat('/tmp'), 'stat /tmp').nlink, p0 + 1, 'parent gains a link');
    t.err(yield* u.mkdir(D, 0o755), EEXIST, 'mkdir of an existing directory');
    t.err(yield* u.mkdir('/', 0o755), EEXIST, 'mkdir /');
    t.err(yield* u.mkdir('/tmp/dir_mkdir_rmdir.none/sub', 0o755), ENOENT, 'mkdir in a missing directory');
    t.eq(yield* u.writeFile(F, 'f'), 1, 'a regular file');
    t.err(yield* u.mkdir(F, 0o755), EEXIST, 'mkdir over a file');
    t.err(yield* u.mkdir(F + '/sub', 0o755), ENOTDIR, 'mkdir below a file');
    t.err(yield* u.mkdir('/tmp/' + 'd'.repeat(61), 0o755), ENAMETOOLONG, 'mkdir with a 61-char name');
    t.eq(yield* u.mkdir(D + '/sub', 0o700), 0, 'mkdir sub');
    t.eq(must(t, yield* u.stat(D), 'stat').nlink, 3, 'sub adds a link to its parent');
    t.eq(must(t, yield* u.stat('/tmp'), 'stat /tmp').nlink, p0 + 1, 'grandparent unchanged');
    t.err(yield* u.rmdir(D), ENOTEMPTY, 'rmdir of a non-empty directory');
    t.err(yield* u.unlink(D + '/sub'), EPERM, 'unlink of a directory');
    t.eq(yield* u.rmdir(D + '/sub'), 0, 'rmdir sub');
    t.eq(must(t, yield* u.stat(D), 'stat').nlink, 2, 'link count back');
    t.err(yield* u.rmdir(F), ENOTDIR, 'rmdir of a file');
    t.err(yield* u.rmdir(F + '/x'), ENOTDIR, 'rmdir below a file');
    t.eq(yield* u.rmdir(D), 0, 'rmdir');
    t.err(rc(yield* u.stat(D)), ENOENT, 'gone');
    t.err(yield* u.rmdir(D), ENOENT, 'rmdir twice');
    t.eq(must(t, yield* u.stat('/tmp'), 'stat /tmp').nlink, p0, 'parent link count restored');
    t.err(yield* u.rmdir('/'), EBUSY, 'rmdir of the root');
    t.eq(yield* u.mkdir(D + '/', 0o755), 0, 'mkdir with a trailing slash');
    t.ok(S_ISDIR(must(t, yield* u.stat(D), 'stat').mode), 'made the directory');
    t.eq(yield* u.rmdir(D + '/'), 0, 'rmdir with a trailing slash');
    t.hk.eq(yield* u.unlink(F), 0, 'unlink file');
  }),

  test('dir_dots', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_dots.d';
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir');
    t.eq(yield* u.mkdir(D + '/sub', 0o755), 0, 'mkdir sub');
    const ents = must(t, yield* u.readdir(D), 'readdir');
    t.eq(names(ents).join(','), '.,..,sub', 'entries . .. sub');
    const di = must(t, yield* u.stat(D), 'stat d').ino;
    const ti = must(t, yield* u.stat('/tmp'), 'stat /tmp').ino;
    const si = must(t, yield* u.stat(D + '/sub'), 'stat sub').ino;
    t.eq(inoOf(ents, '.'), di, '"." is the directory itself');
    t.eq(inoOf(ents, '..'), ti, '".." is the parent');
    t.eq(inoOf(ents, 'sub'), si, 'entry inode matches stat');
    const sents = must(t, yield* u.readdir(D + '/sub'), 'readdir sub');
    t.eq(sents.length, 2, 'a new directory holds only . and ..');
    t.eq(inoOf(sents, '..'), di, 'sub/.. is d');
    t.eq(must(t, yield* u.stat(D + '/sub/..'), 'stat sub/..').ino, di, 'stat of sub/..');
    t.eq(must(t, yield* u.stat(D + '/sub/../..'), 'stat sub/../..').ino, ti, 'two levels up');
    t.eq(must(t, yield* u.stat(D + '/./sub/.'), 'stat ./sub/.').ino, si, 'dots in the middle');
    const rents = must(t, yield* u.readdir('/'), 'readdir /');
    const ri = must(t, yield* u.stat('/'), 'stat /').ino;
    t.ok(inoOf(rents, '.') === ri && inoOf(rents, '..') === ri, 'the root is its own parent');
    t.err(yield* u.rmdir(D + '/sub/.'), EINVAL, 'rmdir of "."');
    const r = yield* u.rmdir(D + '/sub/..');
    t.ok(r === -1 && (u.errno === ENOTEMPTY || u.errno === EEXIST || u.errno === EINVAL), 'rmdir of ".." fails');
    t.err(yield* u.mkdir(D + '/.', 0o755), EEXIST, 'mkdir of "."');
    t.err(yield* u.mkdir(D + '/..', 0o755), EEXIST, 'mkdir of ".."');
    t.err(yield* u.unlink(D + '/.'), EPERM, 'unlink of "."');
    t.err(yield* u.link(D + '/sub', D + '/sub2'), EPERM, 'hard link to a directory');
    t.hk.eq(yield* u.rmdir(D + '/sub'), 0, 'rmdir sub');
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir d');
  }),

  test('dir_chdir', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_chdir.d';
    t.eq(yield* u.getcwd(), '/', 'a test starts in /');
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir');
    t.eq(yield* u.mkdir(D + '/a', 0o755), 0, 'mkdir a');
    t.eq(yield* u.chdir(D), 0, 'chdir');
    t.eq(yield* u.getcwd(), D, 'getcwd');
    t.eq(yield* u.writeFile('rel.txt', 'r'), 1, 'create by a relative name');
    const ri = must(t, yield* u.stat(D + '/rel.txt'), 'visible by the absolute name').ino;
    t.eq(must(t, yield* u.stat('./rel.txt'), 'stat ./rel.txt').ino, ri, './ names the same file');
    t.eq(yield* u.chdir('a'), 0, 'chdir to a relative directory');
    t.eq(yield* u.getcwd(), D + '/a', 'getcwd below');
    t.eq(yield* u.readFile('../rel.txt'), 'r', 'read through ..');
    t.eq(must(t, yield* u.stat('..'), 'stat ..').ino, must(t, yield* u.stat(D), 'stat d').ino, '.. is the parent');
    t.eq(yield* u.chdir('..'), 0, 'chdir ..');
    t.eq(yield* u.getcwd(), D, 'getcwd after ..');
    t.err(yield* u.chdir('rel.txt'), ENOTDIR, 'chdir to a file');
    t.err(yield* u.chdir('missing'), ENOENT, 'chdir to a missing directory');
    t.err(yield* u.chdir(''), ENOENT, 'chdir to the empty path');
    const ai = must(t, yield* u.stat('a'), 'stat a').ino;
    const fd = must(t, yield* u.open('a', O_RDONLY | O_DIRECTORY), 'open a');
    t.eq(yield* u.fchdir(fd), 0, 'fchdir');
    t.eq(must(t, yield* u.stat('.'), 'stat .').ino, ai, 'fchdir moved the working directory');
    t.eq(yield* u.getcwd(), D + '/a', 'getcwd names the directory reached by fchdir');
    t.eq(yield* u.writeFile('x', 'xx'), 2, 'create in the new working directory');
    t.ok(S_ISREG(must(t, yield* u.stat(D + '/a/x'), 'stat a/x').mode), 'file landed in a');
    const ff = must(t, yield* u.open(D + '/rel.txt', O_RDONLY), 'open a file');
    t.err(yield* u.fchdir(ff), ENOTDIR, 'fchdir to a file');
    t.err(yield* u.fchdir(31), EBADF, 'fchdir of a closed descriptor');
    const child = yield* u.fork(function* (c: Libc): Co<number> {
      const s = yield* c.stat('.');
      if (s === null || s.ino !== ai) return 1;
      if ((yield* c.chdir('/')) !== 0) return 2;
      return (yield* c.stat('x')) === null ? 0 : 3;
    });
    t.ok(child > 0, 'fork');
    const [pid, status] = yield* u.waitpid(child);
    t.ok(pid === child && WIFEXITED(status), 'child exited');
    t.eq(WEXITSTATUS(status), 0, 'child inherited the working directory');
    t.eq(must(t, yield* u.stat('.'), 'stat .').ino, ai, 'child\'s chdir does not affect the parent');
    t.eq(yield* u.symlink(D + '/a', D + '/link'), 0, 'symlink to a');
    t.eq(yield* u.chdir(D + '/link'), 0, 'chdir through a symlink');
    t.eq(yield* u.getcwd(), D + '/a', 'getcwd has no symlinks in it');
    t.eq(yield* u.chdir('..'), 0, 'chdir .. from there');
    t.eq(yield* u.getcwd(), D, '.. is the physical parent');
    t.hk.eq(yield* u.unlink(D + '/link'), 0, 'unlink the symlink');
    t.eq(yield* u.chdir('/'), 0, 'chdir /');
    t.eq(yield* u.getcwd(), '/', 'back at /');
    t.eq(must(t, yield* u.stat('../../tmp'), 'stat ../../tmp').ino, must(t, yield* u.stat('/tmp'), 'stat /tmp').ino, '.. of / is /');
    t.hk.eq(yield* u.close(fd), 0, 'close dir');
    t.hk.eq(yield* u.close(ff), 0, 'close file');
    t.hk.eq(yield* u.unlink(D + '/a/x'), 0, 'unlink x');
    t.hk.eq(yield* u.rmdir(D + '/a'), 0, 'rmdir a');
    t.hk.eq(yield* u.unlink(D + '/rel.txt'), 0, 'unlink rel');
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
  }),

  test('dir_readdir_bin', 'dir', function* (t: T, u: Libc): Co<void> {
    const ents = must(t, yield* u.readdir('/bin'), 'readdir /bin');
    const all = names(ents);
    t.ok(all.length > 30, `/bin lists the programs (${all.length})`);
    t.ok(all.includes('.') && all.includes('..'), '/bin has . and ..');
    for (const p of ['dir_readdir_bin', 'smoke_getpid', 'file_open', 'dir_chdir', 'perm_chmod']) {
      t.ok(all.includes(p), `/bin lists ${p}`);
    }
    let dups = 0;
    for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) dups++;
    t.eq(dups, 0, 'no name listed twice');
    t.eq(inoOf(ents, '.'), must(t, yield* u.stat('/bin'), 'stat /bin').ino, '/bin/. is /bin');
    t.eq(inoOf(ents, '..'), must(t, yield* u.stat('/'), 'stat /').ino, '/bin/.. is /');
    // Sample entries: each names an executable regular file with the listed inode.
    let sampled = 0;
    for (let i = 0; i < ents.length; i += 9) {
      const e = ents[i]!;
      if (e.name === '.' || e.name === '..') continue;
      const s = must(t, yield* u.stat('/bin/' + e.name), `stat /bin/${e.name}`);
      t.ok(S_ISREG(s.mode) && (s.mode & 0o111) !== 0 && s.ino === e.ino, `/bin/${e.name} is an executable file`);
      sampled++;
    }
    t.ok(sampled >= 3, 'several entries checked');
    // A small buffer yields the same listing in pieces.
    const fd = must(t, yield* u.open('/bin', O_RDONLY | O_DIRECTORY), 'open /bin');
    const pieces: Dirent[] = [];
    let calls = 0;
    while (calls < 100) {
      const part = must(t, yield* u.getdents(fd, 160), 'getdents small buffer');
      calls++;
      if (part.length === 0) break;
      pieces.push(...part);
    }
    t.ok(calls > 2, 'listing took several calls');
    t.eq(pieces.map((e) => `${e.name}:${e.ino}`).join(','), ents.map((e) => `${e.name}:${e.ino}`).join(','), 'same listing in pieces');
    t.eq(must(t, yield* u.getdents(fd, 1024), 'getdents at end').length, 0, 'end of directory stays at the end');
    t.err(rc(yield* u.getdents(fd, 3)), EINVAL, 'buffer too small for an entry');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    const etc = must(t, yield* u.readdir('/etc'), 'readdir /etc');
    t.ok(names(etc).includes('passwd') && names(etc).includes('motd'), '/etc has passwd and motd');
    t.err(rc(yield* u.readdir('/etc/passwd')), ENOTDIR, 'readdir of a file');
    t.err(rc(yield* u.readdir('/nonexistent')), ENOENT, 'readdir of a missing directory');
  }),

  test('dir_many', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_many.d';
    const N = 40;
    const v0 = must(t, yield* u.statvfs('/tmp'), 'statvfs');
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir');
    let made = 0;
    for (let i = 0; i < N; i++) {
      const fd = yield* u.open(`${D}/file${i}`, O_CREAT | O_EXCL | O_WRONLY, 0o644);
      if (fd >= 0 && (yield* u.close(fd)) === 0) made++;
    }
    t.eq(made, N, `${N} files created`);
    t.eq(must(t, yield* u.stat(D), 'stat').nlink, 2, 'files do not add directory links');
    let ents = must(t, yield* u.readdir(D), 'readdir');
    t.eq(ents.length, N + 2, 'all entries listed');
    let missing = 0;
    for (let i = 0; i < N; i++) if (inoOf(ents, `file${i}`) < 0) missing++;
    t.eq(missing, 0, 'every name listed');
    const inos = ents.map((e) => e.ino).filter((x, i) => ents[i]!.name !== '.' && ents[i]!.name !== '..').sort((a, b) => a - b);
    let same = 0;
    for (let i = 1; i < inos.length; i++) if (inos[i] === inos[i - 1]) same++;
    t.eq(same, 0, 'distinct inodes');
    t.eq(must(t, yield* u.statvfs('/tmp'), 'statvfs').ffree, v0.ffree - N - 1, 'one inode per file');
    t.err(yield* u.rmdir(D), ENOTEMPTY, 'rmdir of the full directory');
    let removed = 0;
    for (let i = 0; i < N; i += 2) if ((yield* u.unlink(`${D}/file${i}`)) === 0) removed++;
    t.eq(removed, N / 2, 'even files removed');
    ents = must(t, yield* u.readdir(D), 'readdir after removal');
    t.eq(ents.length, N / 2 + 2, 'half listed');
    t.ok(inoOf(ents, 'file0') < 0 && inoOf(ents, 'file1') > 0 && inoOf(ents, 'file39') > 0, 'the right half remains');
    for (let i = 0; i < 4; i++) t.eq(yield* u.writeFile(`${D}/new${i}`, 'n'), 1, `new file ${i} in a freed slot`);
    ents = must(t, yield* u.readdir(D), 'readdir after refill');
    t.eq(ents.length, N / 2 + 6, 'new files listed');
    t.err(yield* u.open(`${D}/file1`, O_CREAT | O_EXCL | O_WRONLY), EEXIST, 'O_EXCL on a listed name');
    for (let i = 1; i < N; i += 2) if ((yield* u.unlink(`${D}/file${i}`)) === 0) removed++;
    for (let i = 0; i < 4; i++) if ((yield* u.unlink(`${D}/new${i}`)) === 0) removed++;
    t.eq(removed, N + 4, 'all files removed');
    ents = must(t, yield* u.readdir(D), 'readdir of the emptied directory');
    t.eq(names(ents).join(','), '.,..', 'only . and .. remain');
    t.eq(yield* u.rmdir(D), 0, 'rmdir');
    const v1 = must(t, yield* u.statvfs('/tmp'), 'statvfs after');
    t.ok(v1.ffree === v0.ffree && v1.bfree === v0.bfree, 'inodes and blocks returned');
  }),

  test('dir_rename', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_rename.d';
    const D2 = '/tmp/dir_rename.moved';
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir d');
    t.eq(yield* u.mkdir(D + '/a', 0o755), 0, 'mkdir a');
    t.eq(yield* u.mkdir(D + '/b', 0o755), 0, 'mkdir b');
    t.eq(yield* u.writeFile(D + '/a/f', 'in a'), 4, 'file in a');
    t.eq(must(t, yield* u.stat(D), 'stat d').nlink, 4, 'd has 4 links');
    const ai = must(t, yield* u.stat(D + '/a'), 'stat a').ino;
    const bi = must(t, yield* u.stat(D + '/b'), 'stat b').ino;
    t.eq(yield* u.rename(D + '/a', D + '/b/a'), 0, 'move a into b');
    t.eq(must(t, yield* u.stat(D + '/b/a/..'), 'stat b/a/..').ino, bi, '".." of the moved directory is updated');
    t.eq(must(t, yield* u.stat(D + '/b/a'), 'stat b/a').ino, ai, 'same inode');
    t.eq(must(t, yield* u.stat(D), 'stat d').nlink, 3, 'old parent lost a link');
    t.eq(must(t, yield* u.stat(D + '/b'), 'stat b').nlink, 3, 'new parent gained a link');
    t.eq(yield* u.readFile(D + '/b/a/f'), 'in a', 'contents moved along');
    t.err(yield* u.rename(D + '/b', D + '/b/a/x'), EINVAL, 'move into its own subtree');
    t.err(yield* u.rename(D + '/b', D + '/b/x'), EINVAL, 'move into itself');
    t.err(yield* u.rename(D + '/b/.', D + '/z'), EINVAL, 'rename of "."');
    t.eq(yield* u.mkdir(D + '/e', 0o755), 0, 'empty directory e');
    t.eq(yield* u.rename(D + '/b/a', D + '/e'), 0, 'rename over an empty directory');
    t.eq(must(t, yield* u.stat(D + '/e'), 'stat e').ino, ai, 'e is now the moved directory');
    t.eq(yield* u.readFile(D + '/e/f'), 'in a', 'its file came along');
    t.eq(must(t, yield* u.stat(D), 'stat d').nlink, 4, 'd: b and e');
    t.eq(must(t, yield* u.stat(D + '/b'), 'stat b').nlink, 2, 'b is empty again');
    t.eq(yield* u.mkdir(D + '/b/inner', 0o755), 0, 'make b non-empty');
    const r = yield* u.rename(D + '/e', D + '/b');
    t.ok(r === -1 && (u.errno === ENOTEMPTY || u.errno === EEXIST), 'rename over a non-empty directory');
    t.err(yield* u.rename(D + '/b', D + '/e/f'), ENOTDIR, 'directory over a file');
    t.err(yield* u.rename(D + '/e/f', D + '/b'), EISDIR, 'file over a directory');
    t.eq(yield* u.rename(D + '/b', D + '/b2'), 0, 'rename within one parent');
    t.eq(must(t, yield* u.stat(D), 'stat d').nlink, 4, 'same parent keeps its links');
    t.eq(must(t, yield* u.stat(D + '/b2/inner/..'), 'stat b2/inner/..').ino, bi, 'children follow');
    t.eq(yield* u.rename(D, D2), 0, 'rename the whole tree');
    t.err(rc(yield* u.stat(D)), ENOENT, 'old tree name gone');
    t.eq(yield* u.readFile(D2 + '/e/f'), 'in a', 'content under the new name');
    t.hk.eq(yield* u.unlink(D2 + '/e/f'), 0, 'unlink f');
    for (const p of ['/e', '/b2/inner', '/b2', '']) t.hk.eq(yield* u.rmdir(D2 + p), 0, `rmdir ${p || 'top'}`);
  }),

  test('dir_paths', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_paths.d';
    const F = D + '/f';
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir');
    t.eq(yield* u.writeFile(F, 'ff'), 2, 'file');
    const fi = must(t, yield* u.stat(F), 'stat f').ino;
    t.eq(must(t, yield* u.stat('//tmp///dir_paths.d//f'), 'repeated slashes').ino, fi, 'repeated slashes');
    t.eq(must(t, yield* u.stat('/tmp/./dir_paths.d/./f'), 'dots').ino, fi, 'dot components');
    t.eq(must(t, yield* u.stat('/tmp/../tmp/dir_paths.d/f'), 'dotdot').ino, fi, 'dot-dot components');
    t.eq(must(t, yield* u.stat('/../../tmp/dir_paths.d/f'), 'above root').ino, fi, 'dot-dot above the root');
    t.ok(S_ISDIR(must(t, yield* u.stat(D + '/'), 'trailing slash on a directory').mode), 'directory with a trailing slash');
    t.err(rc(yield* u.stat(F + '/')), ENOTDIR, 'trailing slash on a file');
    t.err(yield* u.open(F + '/', O_RDONLY), ENOTDIR, 'open a file with a trailing slash');
    t.err(rc(yield* u.stat(F + '/.')), ENOTDIR, 'file/.');
    t.err(rc(yield* u.stat(F + '/..')), ENOTDIR, 'file/..');
    t.err(yield* u.unlink(F + '/'), ENOTDIR, 'unlink a file with a trailing slash');
    t.err(yield* u.open(D + '/new/', O_CREAT | O_WRONLY, 0o644), EISDIR, 'O_CREAT of a name with a trailing slash');
    t.err(rc(yield* u.stat(D + '/new')), ENOENT, 'no file was made');
    t.err(rc(yield* u.stat('/tmp/' + 'a/'.repeat(140))), ENAMETOOLONG, 'path longer than PATH_MAX');
    const n60 = D + '/' + 'x'.repeat(60);
    t.eq(yield* u.mkdir(n60, 0o755), 0, 'mkdir with a 60-char name');
    t.hk.eq(yield* u.rmdir(n60), 0, 'rmdir it');
    let deep = D;
    let ok = 0;
    for (let i = 1; i <= 6; i++) {
      deep += '/' + i;
      if ((yield* u.mkdir(deep, 0o755)) === 0) ok++;
    }
    t.eq(ok, 6, 'six nested directories');
    t.eq(yield* u.writeFile(deep + '/leaf', 'leaf'), 4, 'file at depth 6');
    t.eq(yield* u.readFile(D + '/1/2/3/../3/4/./5/6/leaf'), 'leaf', 'mixed path to the leaf');
    t.eq(yield* u.chdir(deep), 0, 'chdir deep');
    t.eq(yield* u.readFile('../../../../../../f'), 'ff', 'relative path up six levels');
    t.eq(yield* u.getcwd(), deep, 'getcwd deep');
    t.hk.eq(yield* u.chdir('/'), 0, 'chdir /');
    t.hk.eq(yield* u.unlink(deep + '/leaf'), 0, 'unlink leaf');
    let rmd = 0;
    for (let i = 6; i >= 1; i--) {
      if ((yield* u.rmdir(deep)) === 0) rmd++;
      deep = deep.slice(0, deep.lastIndexOf('/'));
    }
    t.hk.eq(rmd, 6, 'nested directories removed');
    t.hk.eq(yield* u.unlink(F), 0, 'unlink f');
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
  }),

  test('dir_rmdir_busy', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_rmdir_busy.d';
    const E = '/tmp/dir_rmdir_busy.e';
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir d');
    t.eq(yield* u.mkdir(E, 0o755), 0, 'mkdir e');
    t.eq(yield* u.writeFile(E + '/f', 'f'), 1, 'file in e');
    const fd = must(t, yield* u.open(E, O_RDONLY | O_DIRECTORY), 'open e');
    t.eq(yield* u.unlink(E + '/f'), 0, 'empty e');
    t.eq(yield* u.rmdir(E), 0, 'rmdir an open directory');
    const es = must(t, yield* u.fstat(fd), 'fstat removed directory');
    t.ok(S_ISDIR(es.mode) && es.nlink === 0, 'removed directory has no links');
    t.eq(must(t, yield* u.getdents(fd, 1024), 'getdents on the removed directory').length, 0, 'it lists nothing');
    t.hk.eq(yield* u.close(fd), 0, 'close e');
    t.eq(yield* u.chdir(D), 0, 'chdir d');
    const r = yield* u.rmdir(D);
    t.ok(r === 0 || u.errno === EBUSY, 'rmdir of the working directory succeeds or is EBUSY');
    if (r === 0) {
      t.err(yield* u.open('x', O_CREAT | O_WRONLY, 0o644), ENOENT, 'no new files in a removed directory');
      t.err(yield* u.mkdir('y', 0o755), ENOENT, 'no new directories in a removed directory');
      t.eq(must(t, yield* u.stat('.'), 'stat .').nlink, 0, 'the working directory has no links');
      t.err(rc(yield* u.stat(D)), ENOENT, 'its name is gone');
    } else {
      t.eq(yield* u.chdir('/'), 0, 'leave d');
      t.eq(yield* u.rmdir(D), 0, 'rmdir once not busy');
    }
    t.hk.eq(yield* u.chdir('/'), 0, 'chdir /');
    t.err(rc(yield* u.stat(D)), ENOENT, 'd gone');
    t.err(rc(yield* u.stat(E)), ENOENT, 'e gone');
    t.err(yield* u.rmdir('/tmp/.'), EINVAL, 'rmdir of /tmp/.');
    t.ok(S_ISDIR(must(t, yield* u.stat('/tmp'), 'stat /tmp').mode), '/tmp survives');
  }),

  test('dir_nlink', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_nlink.d';
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir');
    for (let i = 0; i < 3; i++) {
      t.eq(yield* u.mkdir(`${D}/s${i}`, 0o755), 0, `mkdir s${i}`);
      t.eq(must(t, yield* u.stat(D), 'stat').nlink, 3 + i, `nlink after s${i}`);
    }
    t.eq(yield* u.writeFile(D + '/f', 'f'), 1, 'a file');
    t.eq(yield* u.link(D + '/f', D + '/g'), 0, 'a hard link');
    t.eq(yield* u.symlink('s0', D + '/l'), 0, 'a symlink to a subdirectory');
    t.eq(must(t, yield* u.stat(D), 'stat').nlink, 5, 'files and links do not count');
    t.eq(must(t, yield* u.stat(D + '/f'), 'stat f').nlink, 2, 'hard link counted on the file');
    t.eq(must(t, yield* u.lstat(D + '/l'), 'lstat l').nlink, 1, 'symlink has one link');
    t.err(yield* u.rmdir(D + '/l'), ENOTDIR, 'rmdir does not follow a symlink');
    t.eq(must(t, yield* u.stat(D + '/l'), 'stat l').ino, must(t, yield* u.stat(D + '/s0'), 'stat s0').ino, 'symlink reaches s0');
    t.eq(yield* u.mkdir(D + '/s1/deeper', 0o755), 0, 'mkdir s1/deeper');
    t.eq(must(t, yield* u.stat(D + '/s1'), 'stat s1').nlink, 3, 's1 has a subdirectory');
    t.eq(yield* u.rename(D + '/s0', D + '/s1/s0'), 0, 'move s0 into s1');
    t.eq(must(t, yield* u.stat(D), 'stat').nlink, 4, 'd lost s0');
    t.eq(must(t, yield* u.stat(D + '/s1'), 'stat s1').nlink, 4, 's1 gained s0');
    t.err(rc(yield* u.stat(D + '/l')), ENOENT, 'the symlink now dangles');
    t.eq(yield* u.rmdir(D + '/s1/s0'), 0, 'rmdir s1/s0');
    t.eq(yield* u.rmdir(D + '/s1/deeper'), 0, 'rmdir s1/deeper');
    t.eq(must(t, yield* u.stat(D + '/s1'), 'stat s1').nlink, 2, 's1 back to 2');
    t.eq(yield* u.rmdir(D + '/s1'), 0, 'rmdir s1');
    t.eq(yield* u.rmdir(D + '/s2'), 0, 'rmdir s2');
    t.eq(must(t, yield* u.stat(D), 'stat').nlink, 2, 'd back to 2');
    for (const p of ['/f', '/g', '/l']) t.hk.eq(yield* u.unlink(D + p), 0, `unlink ${p}`);
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
  }),

  test('dir_getdents', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_getdents.d';
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir');
    for (let i = 0; i < 5; i++) t.eq(yield* u.writeFile(`${D}/e${i}`, ''), 0, `create e${i}`);
    const fd = must(t, yield* u.open(D, O_RDONLY), 'open the directory');
    t.ok(S_ISDIR(must(t, yield* u.fstat(fd), 'fstat').mode), 'fstat: a directory');
    const first = must(t, yield* u.getdents(fd, 1024), 'getdents');
    t.eq(first.length, 7, 'five files plus . and ..');
    t.eq(must(t, yield* u.getdents(fd, 1024), 'getdents again').length, 0, 'then the end');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'rewind the directory');
    const again = must(t, yield* u.getdents(fd, 1024), 'getdents after rewind');
    t.eq(again.map((e) => e.name).join(','), first.map((e) => e.name).join(','), 'the same listing');
    t.err(rc(yield* u.read(fd, 16)), EISDIR, 'read on a directory');
    t.err(yield* u.write(fd, 'x'), EBADF, 'write on a read-only descriptor');
    t.err(rc(yield* u.getdents(fd, 2)), EINVAL, 'buffer too small');
    t.err(rc(yield* u.getdents(29, 1024)), EBADF, 'getdents on a bad descriptor');
    const ff = must(t, yield* u.open(D + '/e0', O_RDONLY), 'open a file');
    t.err(rc(yield* u.getdents(ff, 1024)), ENOTDIR, 'getdents on a regular file');
    t.hk.eq(yield* u.close(ff), 0, 'close file');
    t.eq(yield* u.writeFile(`${D}/late`, ''), 0, 'create after listing');
    t.eq(yield* u.lseek(fd, 0, SEEK_SET), 0, 'rewind');
    const third = must(t, yield* u.getdents(fd, 1024), 'getdents with the new entry');
    t.ok(third.length === 8 && inoOf(third, 'late') > 0, 'a fresh listing shows the new entry');
    t.hk.eq(yield* u.close(fd), 0, 'close');
    t.err(yield* u.open(D, O_WRONLY), EISDIR, 'a directory cannot be opened for writing');
    for (let i = 0; i < 5; i++) t.hk.eq(yield* u.unlink(`${D}/e${i}`), 0, `unlink e${i}`);
    t.hk.eq(yield* u.unlink(`${D}/late`), 0, 'unlink late');
    t.hk.eq(yield* u.rmdir(D), 0, 'rmdir');
  }),

  test('dir_tree', 'dir', function* (t: T, u: Libc): Co<void> {
    const D = '/tmp/dir_tree.d';
    const v0 = must(t, yield* u.statvfs('/tmp'), 'statvfs');
    t.eq(yield* u.mkdir(D, 0o755), 0, 'mkdir root of the tree');
    let made = 1;
    // Three levels: every directory above the last gets two subdirectories and two files.
    const dirs = [D];
    for (let level = 0; level < 2; level++) {
      const next: string[] = [];
      for (const d of dirs.slice(-(1 << level))) {
        for (let k = 0; k < 2; k++) {
          const sub = `${d}/d${k}`;
          if ((yield* u.mkdir(sub, 0o755)) === 0) { made++; next.push(sub); }
          if ((yield* u.writeFile(`${d}/f${k}`, sub)) === sub.length) made++;
        }
      }
      dirs.push(...next);
    }
    for (const d of dirs.slice(-4)) if ((yield* u.writeFile(d + '/leaf', 'leaf')) === 4) made++;
    t.eq(dirs.length, 7, 'seven directories');
    t.eq(made, 1 + 6 + 6 + 4, 'every node made');
    t.eq(must(t, yield* u.stat(D), 'stat root').nlink, 4, 'root: . .. and two subdirectories');
    t.eq(yield* u.readFile(D + '/d1/f0'), D + '/d1/d0', 'file content names its sibling');
    t.eq(yield* u.symlink('../d0/d1', D + '/d1/up'), 0, 'a symlink inside the tree');
    t.ok(S_ISDIR(must(t, yield* u.stat(D + '/d1/up'), 'stat via link').mode), 'link resolves to a directory');
    t.eq(must(t, yield* u.stat(D + '/d1/up/leaf'), 'path through the link').size, 4, 'through the link to a leaf');
    const v1 = must(t, yield* u.statvfs('/tmp'), 'statvfs with the tree');
    t.eq(v0.ffree - v1.ffree, made + 1, 'one inode per node');
    t.err(yield* u.rmdir(D), ENOTEMPTY, 'the tree is not empty');
    t.eq(yield* removeTree(u, D), made + 1, 'recursive removal took every node');
    t.err(rc(yield* u.stat(D)), ENOENT, 'tree gone');
    const v2 = must(t, yield* u.statvfs('/tmp'), 'statvfs after');
    t.ok(v2.ffree === v0.ffree && v2.bfree === v0.bfree, 'disk as before');
  }),
];
