/*
 * The scenarios of the file-system differential test (test/fs-differential.test.ts):
 * each a list of calls run both in the simulation and against the host kernel
 * (test/fixtures/fs-host.py), in a directory of its own, with relative paths.
 *
 * A step marked `user` runs as an unprivileged user (the simulation's uid 100,
 * the host's 65534); a scenario with such steps or with chown needs a root host.
 * A step marked `kept` is a difference kept on purpose: it names the entry of
 * docs/fs-differences.md that explains it and the exact outcome of each side.
 *
 * The entry points into this file are:
 *   SCENARIOS   the scenarios
 *   Step, Scenario, Kept   their types
 */

export type Op =
  | 'open' | 'close' | 'write' | 'writefile' | 'readfile' | 'mkdir' | 'rmdir' | 'unlink' | 'link' | 'symlink'
  | 'rename' | 'mkfifo' | 'mknod' | 'chmod' | 'chown' | 'truncate' | 'access' | 'stat' | 'lstat' | 'readdir' | 'readlink';

/** An id in chown: the unprivileged user, root, or -1 (unchanged). */
export type Id = 'user' | 'root' | -1;

export interface Kept {
  /** The heading id of the entry in docs/fs-differences.md. */
  id: string;
  /** The formatted outcome each side must show (see formatOutcome in the test). */
  sim: string;
  host: string;
}

export interface Step {
  op: Op;
  path?: string;
  path2?: string;
  flags?: string[];
  mode?: number;
  /** Descriptor slot for open/close/write. */
  fd?: string;
  data?: string;
  uid?: Id;
  gid?: Id;
  length?: number;
  how?: 'F_OK' | 'R_OK' | 'W_OK' | 'X_OK';
  user?: boolean;
  kept?: Kept;
}

export interface Scenario {
  name: string;
  /** Needs a root host: unprivileged steps or chown. */
  root: boolean;
  steps: Step[];
}

const s = (op: Op, path?: string, extra: Partial<Step> = {}): Step => ({ op, path, ...extra });
const two = (op: Op, path: string, path2: string, extra: Partial<Step> = {}): Step => ({ op, path, path2, ...extra });
const asUser = (st: Step): Step => ({ ...st, user: true });
const n = (c: string, len: number): string => c.repeat(len);

/** MINIX V3's names are at most 60 bytes; Linux allows NAME_MAX = 255. */
const nameMax = (host: string): Kept => ({ id: 'name-max', sim: '-1 ENAMETOOLONG', host });

const trailingSlash: Scenario = {
  name: 'slash', root: false,
  steps: [
    s('writefile', 'f', { data: 'abc' }), s('mkdir', 'd'), s('symlink', 'nowhere', { path2: 'dang' }),
    s('open', 'n1/', { flags: ['O_CREAT', 'O_WRONLY'] }), s('lstat', 'n1'),
    s('mkdir', 'n2/'), s('stat', 'n2'),
    two('link', 'f', 'h/'), s('lstat', 'h'),
    two('link', 'f', 'd/'), two('link', 'f', 'f/'),
    two('symlink', 'f', 's/'), s('lstat', 's'), two('symlink', 'f', 'd/'),
    s('mkfifo', 'p/'), s('lstat', 'p'),
    s('mknod', 'q/'), s('lstat', 'q'),
    two('rename', 'f', 'g/'), s('lstat', 'g'), two('rename', 'f', 'd/'), two('rename', 'f/', 'g'),
    two('rename', 'n2/', 'n3/'), two('rename', 'n3', 'n4/'), s('stat', 'n4'),
    s('unlink', 'f/'), s('rmdir', 'f/'), s('rmdir', 'n4/'),
    s('open', 'dang/', { flags: ['O_CREAT', 'O_WRONLY'] }), s('lstat', 'nowhere'),
    s('open', 'f/', { flags: ['O_CREAT', 'O_WRONLY'] }), s('open', 'd/', { flags: ['O_CREAT', 'O_RDONLY'] }),
    s('mkdir', 'f/'), s('mkdir', 'dang/'), two('symlink', 'd', 'sd'), s('mkdir', 'sd/'), s('lstat', 'nowhere'),
    s('mkfifo', 'f/'), two('symlink', 'x', 'f/'), two('link', 'f', 'dang/'), two('link', 'f', 'sd/'),
    two('rename', 'f', 'f/'), two('rename', 'd', 'f/'), two('rename', 'd', 'f'), two('rename', 'd', 'sd/'),
    two('rename', 'f', 'sd/'), s('rmdir', 'sd/'), s('unlink', 'sd/'), s('unlink', 'sd'),
    s('stat', 'f'), s('readdir', '.'),
  ],
};

const oTrunc: Scenario = {
  name: 'otrunc', root: true,
  steps: [
    s('writefile', 'mine', { data: 'hello' }),
    s('open', 'mine', { flags: ['O_RDONLY', 'O_TRUNC'], fd: 'a' }), s('close', undefined, { fd: 'a' }), s('stat', 'mine'),
    s('writefile', 'ro', { data: 'hello', mode: 0o644 }),
    s('writefile', 'rw', { data: 'hello', mode: 0o644 }), s('chmod', 'rw', { mode: 0o666 }),
    asUser(s('open', 'ro', { flags: ['O_RDONLY'], fd: 'b' })), asUser(s('close', undefined, { fd: 'b' })),
    asUser(s('open', 'ro', { flags: ['O_RDONLY', 'O_TRUNC'] })),
    asUser(s('open', 'ro', { flags: ['O_WRONLY', 'O_TRUNC'] })),
    asUser(s('open', 'ro', { flags: ['O_CREAT', 'O_RDONLY', 'O_TRUNC'] })),
    s('stat', 'ro'), s('readfile', 'ro'),
    asUser(s('open', 'rw', { flags: ['O_RDONLY', 'O_TRUNC'], fd: 'c' })), asUser(s('close', undefined, { fd: 'c' })),
    s('stat', 'rw'),
    s('mkdir', 'd'),
    s('open', 'd', {
      flags: ['O_RDONLY', 'O_TRUNC'], fd: 'd',
      kept: { id: 'otrunc-dir', sim: 'fd', host: '-1 EISDIR' },
    }),
  ],
};

const names: Scenario = {
  name: 'names', root: false,
  steps: [
    s('writefile', n('a', 59), { data: '59' }), s('writefile', n('b', 60), { data: '60' }),
    s('readdir', '.'), s('writefile', n('c', 61), { data: '61', kept: nameMax('2') }),
    s('stat', n('b', 60)), s('readfile', n('b', 60)),
    s('mkdir', n('d', 60)), s('writefile', n('d', 60) + '/' + n('e', 60), { data: 'x' }),
    s('readdir', n('d', 60)),
    two('rename', n('a', 59), n('f', 60)), two('link', n('f', 60), n('g', 60)), s('stat', n('g', 60)),
    two('link', n('f', 60), n('h', 61), { kept: nameMax('0') }),
    s('mkdir', n('i', 61), { kept: nameMax('0') }),
    two('symlink', 'x', n('j', 61), { kept: nameMax('0') }),
    s('open', n('k', 255), { flags: ['O_CREAT', 'O_WRONLY'], kept: nameMax('fd') }),
    s('open', n('l', 256), { flags: ['O_CREAT', 'O_WRONLY'] }),
    s('stat', n('m', 61), { kept: nameMax('-1 ENOENT') }),
    s('unlink', n('f', 60)), s('unlink', n('g', 60)), s('unlink', n('b', 60)),
    s('unlink', n('d', 60) + '/' + n('e', 60)), s('rmdir', n('d', 60)),
  ],
};

const removeRename: Scenario = {
  name: 'rename', root: false,
  steps: [
    s('mkdir', 'd'), s('mkdir', 'd/sub'), s('writefile', 'd/sub/x', { data: 'x' }),
    s('writefile', 'f', { data: 'ff' }), s('mkdir', 'e'), s('mkdir', 'full'), s('writefile', 'full/y', { data: 'y' }),
    two('rename', 'f', 'f'), s('stat', 'f'),
    two('link', 'f', 'f2'), two('rename', 'f', 'f2'), s('stat', 'f'), s('stat', 'f2'), s('unlink', 'f2'),
    two('rename', 'd', 'd'), two('rename', 'd', 'd/sub/inner'), two('rename', 'd', 'd/sub'),
    two('rename', 'e', 'full'), two('rename', 'e', 'f'), two('rename', 'f', 'e'), two('rename', 'f', 'nodir/x'),
    two('rename', 'nothere', 'z'),
    two('rename', '.', 'z', { kept: { id: 'rename-dot', sim: '-1 EINVAL', host: '-1 EBUSY' } }),
    two('rename', 'e', '..', { kept: { id: 'rename-dot', sim: '-1 EINVAL', host: '-1 EBUSY' } }),
    s('mkdir', 'e2'), two('rename', 'e', 'e2'), s('stat', 'e'), s('stat', 'e2'),
    s('writefile', 'g', { data: 'ggg' }), two('rename', 'g', 'f'), s('readfile', 'f'), s('lstat', 'g'),
    two('rename', 'd/sub', 'sub2'), s('stat', 'd'), s('stat', 'sub2'), s('readfile', 'sub2/x'),
    s('rmdir', '.'), s('rmdir', 'd/..'), s('rmdir', 'full'), s('rmdir', 'f'), s('rmdir', 'nothere'),
    s('unlink', 'e2', { kept: { id: 'unlink-dir', sim: '-1 EPERM', host: '-1 EISDIR' } }),
    s('unlink', 'nothere'),
    two('link', 'd', 'dl'), two('link', 'nothere', 'dl'), two('link', 'f', 'nodir/x'), two('link', 'f', 'full'),
    s('open', 'd', { flags: ['O_WRONLY'] }), s('open', 'd', { flags: ['O_RDWR'] }),
    s('open', 'd', { flags: ['O_WRONLY', 'O_CREAT'] }),
    s('open', 'd', { flags: ['O_RDONLY'], fd: 'a' }), s('close', undefined, { fd: 'a' }),
    s('open', 'f', { flags: ['O_RDONLY', 'O_DIRECTORY'] }),
    two('symlink', 'f', 'sl'), s('open', 'sl', { flags: ['O_CREAT', 'O_EXCL', 'O_WRONLY'] }),
    two('symlink', 'nowhere', 'dg'), s('open', 'dg', { flags: ['O_CREAT', 'O_EXCL', 'O_WRONLY'] }), s('lstat', 'nowhere'),
    s('open', 'dg', { flags: ['O_CREAT', 'O_WRONLY'], fd: 'b' }), s('close', undefined, { fd: 'b' }), s('lstat', 'nowhere'),
    s('readlink', 'sl'), s('readlink', 'f'), s('lstat', 'sl'), s('unlink', 'sl'), s('stat', 'f'),
    s('readdir', '.'),
  ],
};

const permissions: Scenario = {
  name: 'perm', root: true,
  steps: [
    s('mkdir', 'ro', { mode: 0o777 }), s('writefile', 'ro/k', { data: 'k' }), s('chmod', 'ro', { mode: 0o555 }),
    s('mkdir', 'nox', { mode: 0o777 }), s('writefile', 'nox/x', { data: 'x' }), s('chmod', 'nox', { mode: 0o666 }),
    s('writefile', 'secret', { data: 's', mode: 0o600 }), s('writefile', 'pub', { data: 'p', mode: 0o644 }),
    s('mkdir', 'mine', { mode: 0o777 }),
    ...[
      s('open', 'secret', { flags: ['O_RDONLY'] }),
      s('open', 'pub', { flags: ['O_RDONLY'], fd: 'a' }), s('close', undefined, { fd: 'a' }),
      s('open', 'pub', { flags: ['O_WRONLY'] }), s('open', 'pub', { flags: ['O_RDWR'] }),
      s('stat', 'nox/x'), s('readdir', 'nox'), s('writefile', 'nox/y'),
      s('writefile', 'ro/new'), s('mkdir', 'ro/d'), s('unlink', 'ro/k'), two('rename', 'ro/k', 'mine/k'),
      two('symlink', 'pub', 'ro/s'), s('mkfifo', 'ro/p'),
      s('chmod', 'pub', { mode: 0o777 }), s('chown', 'pub', { uid: 'user', gid: -1 }), s('chown', 'pub', { uid: -1, gid: 'user' }),
      s('access', 'secret', { how: 'R_OK' }), s('access', 'pub', { how: 'R_OK' }), s('access', 'pub', { how: 'W_OK' }),
      s('access', 'nox/x', { how: 'F_OK' }),
      s('truncate', 'pub', { length: 0 }),
      s('mkdir', 'mine/u'), s('stat', 'mine/u'), s('writefile', 'mine/u/f', { data: 'u', mode: 0o755 }),
      s('chmod', 'mine/u/f', { mode: 0o4755 }), s('stat', 'mine/u/f'),
      // A link of a file the user owns (Linux's protected_hardlinks refuses links of others' files with EPERM).
      two('link', 'mine/u/f', 'ro/l'), two('link', 'mine/u/f', 'mine/l'), s('stat', 'mine/l'), s('unlink', 'mine/l'),
      s('chown', 'mine/u/f', { uid: -1, gid: 'user' }),
      s('chown', 'mine/u/f', { uid: 'root', gid: -1 }),
      s('unlink', 'mine/u/f'), s('rmdir', 'mine/u'),
    ].map(asUser),
    s('stat', 'pub'), s('readdir', 'ro'),
  ],
};

const setIdBits: Scenario = {
  name: 'setid', root: true,
  steps: [
    s('writefile', 'x', { data: 'x', mode: 0o755 }),
    s('chmod', 'x', { mode: 0o6755 }), s('chown', 'x', { uid: 'user', gid: 'user' }), s('stat', 'x'),
    s('chmod', 'x', { mode: 0o6755 }), s('chown', 'x', { uid: -1, gid: -1 }), s('stat', 'x'),
    s('writefile', 'g', { data: 'g', mode: 0o744 }), s('chmod', 'g', { mode: 0o2744 }),
    s('chown', 'g', { uid: 'user', gid: -1 }),
    s('stat', 'g', { kept: { id: 'chown-setid', sim: 'reg 0744 u=user g=root n=1 s=1', host: 'reg 2744 u=user g=root n=1 s=1' } }),
    s('mkdir', 'sd'), s('chmod', 'sd', { mode: 0o2755 }), s('chown', 'sd', { uid: 'user', gid: -1 }),
    s('stat', 'sd', { kept: { id: 'chown-setid', sim: 'dir 0755 u=user g=root', host: 'dir 2755 u=user g=root' } }),
    s('writefile', 'w', { data: '', mode: 0o777 }), s('chmod', 'w', { mode: 0o6777 }),
    asUser(s('open', 'w', { flags: ['O_WRONLY'], fd: 'a' })), asUser(s('write', undefined, { fd: 'a', data: 'data' })),
    asUser(s('close', undefined, { fd: 'a' })),
    s('stat', 'w', { kept: { id: 'write-setid', sim: 'reg 6777 u=root g=root n=1 s=4', host: 'reg 0777 u=root g=root n=1 s=4' } }),
    s('writefile', 'r', { data: '', mode: 0o755 }), s('chmod', 'r', { mode: 0o4755 }),
    s('open', 'r', { flags: ['O_WRONLY'], fd: 'b' }), s('write', undefined, { fd: 'b', data: 'root' }), s('close', undefined, { fd: 'b' }),
    s('stat', 'r'),
  ],
};

/** A chain of `len` symlinks c1 -> c2 -> ... -> c<len> -> the file f. */
function chain(len: number): Step[] {
  const out: Step[] = [];
  for (let i = 1; i <= len; i++) out.push(two('symlink', i === len ? 'f' : `c${i + 1}`, `c${i}`));
  return out;
}

const paths: Scenario = {
  name: 'paths', root: false,
  steps: [
    s('writefile', 'f', { data: 'abc' }), s('mkdir', 'd'), two('symlink', 'f', 'sl'), two('symlink', 'd', 'sd'),
    s('stat', ''), s('mkdir', ''), s('unlink', ''), s('stat', 'f/x'), s('open', 'f/x', { flags: ['O_CREAT', 'O_WRONLY'] }),
    s('mkdir', 'x/y'), s('stat', 'd/../f'), s('stat', './d/./'), s('stat', 'sd/'), s('lstat', 'sd/'), s('lstat', 'sd'),
    two('symlink', 'l1', 'l2'), two('symlink', 'l2', 'l1'), s('stat', 'l1'), s('lstat', 'l1'),
    s('open', 'l1', { flags: ['O_CREAT', 'O_WRONLY'] }),
    // Eight symlinks to follow is the most MINIX allows; c0 needs nine.
    ...chain(8), s('readfile', 'c1'), two('symlink', 'c1', 'c0'),
    s('readfile', 'c0', { kept: { id: 'symloop-max', sim: '-1 ELOOP', host: '"abc"' } }),
    s('readlink', 'sl'), s('readlink', 'd'), s('readlink', 'nothere'), s('readlink', 'sd/'),
    s('open', 'sd', { flags: ['O_RDONLY', 'O_DIRECTORY'], fd: 'a' }), s('close', undefined, { fd: 'a' }),
    s('open', 'sl', { flags: ['O_RDONLY', 'O_DIRECTORY'] }),
    s('chmod', 'sl', { mode: 0o600 }), s('stat', 'f'), s('lstat', 'sl'),
    two('link', 'sl', 'hl'), s('lstat', 'hl'), s('unlink', 'hl'),
    s('truncate', 'd', { length: 0 }), s('truncate', 'f', { length: 2 }), s('stat', 'f'), s('truncate', 'nothere', { length: 0 }),
    s('open', 'f', { flags: ['O_WRONLY', 'O_APPEND'], fd: 'b' }), s('write', undefined, { fd: 'b', data: 'xyz' }),
    s('close', undefined, { fd: 'b' }), s('readfile', 'f'),
    s('access', 'f', { how: 'X_OK' }), s('access', 'd', { how: 'X_OK' }), s('access', 'nothere', { how: 'F_OK' }),
    s('chmod', 'f', { mode: 0o700 }), s('access', 'f', { how: 'X_OK' }),
    s('open', 'f', { flags: ['O_CREAT', 'O_EXCL', 'O_WRONLY'] }), s('open', 'd', { flags: ['O_CREAT', 'O_EXCL', 'O_RDONLY'] }),
    s('mkfifo', 'p'), s('lstat', 'p'), s('mkfifo', 'p'), s('unlink', 'p'),
    s('readdir', '.'), s('readdir', 'f'), s('readdir', 'nothere'),
  ],
};

export const SCENARIOS: Scenario[] = [trailingSlash, oTrunc, names, removeRename, permissions, setIdBits, paths];
