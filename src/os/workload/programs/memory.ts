/*
 * Test programs: memory. The program break (brk/sbrk, malloc on top of it),
 * anonymous mappings, address-space copies on fork, the fresh image after
 * exec, running out of physical frames, and SIGSEGV on unmapped pages.
 * The limits checked are VM's (src/os/servers/vm/): the heap ends at
 * MMAP_BASE_PAGE, four region slots are left for mappings, frames are
 * allocated eagerly (a fork copies every mapped page).
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { EAGAIN, EINVAL, ENOENT, ENOMEM } from '../../proto/errno';
import { SIGSEGV, WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../../proto/signals';
import {
  DATA_PAGE, DATA_PAGES, HEAP_PAGE, MMAP_BASE_PAGE, PAGE_SIZE, STACK_PAGE, STACK_PAGES, TEXT_PAGES, VPAGES,
} from '../../proto/vm';
import { T, TestProgram, test } from '../test-api';

const HEAP_BASE = HEAP_PAGE * PAGE_SIZE;
/** The highest break VM allows: the heap may fill everything below the mmap area. */
const HEAP_LIMIT = MMAP_BASE_PAGE * PAGE_SIZE;
const HEAP_MAX_PAGES = MMAP_BASE_PAGE - HEAP_PAGE;
const MMAP_BASE = MMAP_BASE_PAGE * PAGE_SIZE;
const MMAP_AREA_PAGES = STACK_PAGE - MMAP_BASE_PAGE;
/** Frames of a freshly exec'd image (text, data, stack; the heap starts empty). */
const IMAGE_PAGES = TEXT_PAGES + DATA_PAGES + STACK_PAGES;
/** Mappings a process may hold at once (eight region slots minus text, data, heap and stack). */
const MAX_MAPPINGS = 4;

/** Deterministic bytes for a (seed, offset) pair, so any range can be checked independently. */
function patternByte(seed: number, i: number): number {
  return ((i * 31 + seed * 17 + (i >>> 8) * 7) ^ seed) & 0xff;
}

function pattern(seed: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = patternByte(seed, i);
  return b;
}

/** Does memory at addr hold bytes [off, off+len) of pattern(seed)? */
function holds(u: Libc, addr: number, len: number, seed: number, off = 0): boolean {
  const b = u.peek(addr, len);
  for (let i = 0; i < len; i++) if (b[i] !== patternByte(seed, off + i)) return false;
  return true;
}

function allZero(u: Libc, addr: number, len: number): boolean {
  const b = u.peek(addr, len);
  for (let i = 0; i < len; i++) if (b[i] !== 0) return false;
  return true;
}

function* freeFrames(u: Libc): Co<number> {
  return (yield* u.vminfo()).free;
}

/** Fork a child that runs `body` (expected to die), reap it, and check it died of SIGSEGV. */
function* expectSegv(t: T, u: Libc, what: string, body: (c: Libc) => void): Co<void> {
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    body(c);
    return 0;
  });
  t.ok(pid > 0, `${what}: fork`);
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: reaped`);
  t.ok(WIFSIGNALED(status) && !WIFEXITED(status), `${what}: child was killed by a signal`);
  t.eq(WTERMSIG(status), SIGSEGV, `${what}: the signal is SIGSEGV`);
}

/** Reap `pid` and check it exited normally with `code`. */
function* reapExit(t: T, u: Libc, pid: number, code: number, what: string): Co<void> {
  const [w, status] = yield* u.waitpid(pid);
  t.eq(w, pid, `${what}: reaped`);
  t.ok(WIFEXITED(status), `${what}: exited normally`);
  t.eq(WEXITSTATUS(status), code, `${what}: exit status`);
}

function* memBrk(t: T, u: Libc): Co<void> {
  t.eq(yield* u.sbrk(0), HEAP_BASE, 'a new program starts with an empty heap');
  const free0 = yield* freeFrames(u);

  t.eq(yield* u.sbrk(PAGE_SIZE), HEAP_BASE, 'sbrk returns the old break');
  t.eq(yield* u.sbrk(0), HEAP_BASE + PAGE_SIZE, 'the break moved by one page');
  t.eq(yield* freeFrames(u), free0 - 1, 'one page of heap takes one frame');
  t.ok(allZero(u, HEAP_BASE, PAGE_SIZE), 'new heap memory is zero-filled');
  u.pokeU32(HEAP_BASE, 0xdeadbeef);
  u.pokeU32(HEAP_BASE + PAGE_SIZE - 4, 0x01020304);
  t.eq(u.peekU32(HEAP_BASE), 0xdeadbeef, 'the first heap word keeps its value');

  // A break inside a page maps that whole page.
  t.eq(yield* u.brk(HEAP_BASE + PAGE_SIZE + 10), 0, 'brk to an unaligned address');
  t.eq(yield* freeFrames(u), free0 - 2, 'the partial page is backed by a frame');
  u.pokeU32(HEAP_BASE + 2 * PAGE_SIZE - 4, 77);
  t.eq(u.peekU32(HEAP_BASE + 2 * PAGE_SIZE - 4), 77, 'the rest of the rounded-up page is usable');

  // Shrink, then grow again: the page comes back zeroed.
  t.eq(yield* u.brk(HEAP_BASE + PAGE_SIZE), 0, 'brk shrinks the heap');
  t.eq(yield* freeFrames(u), free0 - 1, 'shrinking returns the frame');
  t.eq(u.peekU32(HEAP_BASE + PAGE_SIZE - 4), 0x01020304, 'the remaining page keeps its contents');
  t.eq(yield* u.sbrk(PAGE_SIZE), HEAP_BASE + PAGE_SIZE, 'grow again');
  t.ok(allZero(u, HEAP_BASE + PAGE_SIZE, PAGE_SIZE), 'a re-grown page does not show old data');

  // Limits: below the heap start, past the mmap area, non-integral.
  t.err(yield* u.brk(HEAP_BASE - 1), ENOMEM, 'brk below the heap start');
  t.err(yield* u.brk(HEAP_LIMIT + 1), ENOMEM, 'brk into the mmap area');
  t.err(yield* u.brk(HEAP_BASE + 0.5), EINVAL, 'brk to a non-integral address');
  t.eq(yield* u.sbrk(0), HEAP_BASE + 2 * PAGE_SIZE, 'failed brk calls leave the break alone');
  t.eq(yield* freeFrames(u), free0 - 2, 'failed brk calls take no frames');

  // The largest heap: the break exactly at the start of the mmap area.
  t.eq(yield* u.brk(HEAP_LIMIT), 0, 'brk to the very end of the heap area');
  t.eq(yield* freeFrames(u), free0 - HEAP_MAX_PAGES, 'every heap page is backed');
  u.pokeU32(HEAP_LIMIT - 4, 0xcafe);
  t.eq(u.peekU32(HEAP_LIMIT - 4), 0xcafe, 'the last heap word is usable');
  t.eq(u.peekU32(HEAP_BASE), 0xdeadbeef, 'growth keeps old heap contents');
  t.err(yield* u.sbrk(1), ENOMEM, 'no more heap past the limit');
  t.eq(yield* u.sbrk(0), HEAP_LIMIT, 'the break stays at the limit');

  t.eq(yield* u.sbrk(-(HEAP_LIMIT - HEAP_BASE)), HEAP_LIMIT, 'sbrk with a negative increment');
  t.eq(yield* u.sbrk(0), HEAP_BASE, 'the heap is empty again');
  t.eq(yield* freeFrames(u), free0, 'every heap frame was returned');
}

function* memMalloc(t: T, u: Libc): Co<void> {
  const free0 = yield* freeFrames(u);
  const sizes = [100, 5000, 1, 3 * PAGE_SIZE, 17, 2 * PAGE_SIZE + 7];
  const blocks: number[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const a = yield* u.malloc(sizes[i]!);
    t.ok(a >= HEAP_BASE, `malloc(${sizes[i]}) returns heap memory`);
    t.eq(a % 16, 0, `malloc(${sizes[i]}) is 16-byte aligned`);
    if (i > 0) t.ok(a >= blocks[i - 1]! + sizes[i - 1]!, `block ${i} does not overlap block ${i - 1}`);
    blocks.push(a);
  }
  const end = blocks[blocks.length - 1]! + sizes[sizes.length - 1]!;
  t.ok(end <= (yield* u.sbrk(0)), 'every block lies below the break');
  const pages = Math.ceil(((yield* u.sbrk(0)) - HEAP_BASE) / PAGE_SIZE);
  t.eq(yield* freeFrames(u), free0 - pages, 'the heap holds exactly the pages it spans');

  for (let i = 0; i < blocks.length; i++) u.poke(blocks[i]!, pattern(i + 1, sizes[i]!));
  for (let i = 0; i < blocks.length; i++) t.ok(holds(u, blocks[i]!, sizes[i]!, i + 1), `block ${i} keeps its pattern`);

  // A page-by-page fill to the limit, each page tagged with its index.
  const firstPage: number[] = [];
  while (true) {
    const a = yield* u.malloc(PAGE_SIZE);
    if (a < 0) { t.eq(u.errno, ENOMEM, 'malloc fails with ENOMEM at the heap limit'); break; }
    u.pokeU32(a, 0x5a000000 + firstPage.length);
    firstPage.push(a);
    if (firstPage.length > HEAP_MAX_PAGES) t.fail('malloc handed out more than the heap area');
  }
  t.ok(firstPage.length > 0, 'some pages fitted before the limit');
  t.ok((yield* u.sbrk(0)) <= HEAP_LIMIT, 'the break never passes the heap limit');
  let tags = true;
  for (let i = 0; i < firstPage.length; i++) if (u.peekU32(firstPage[i]!) !== 0x5a000000 + i) tags = false;
  t.ok(tags, 'every page keeps its tag');
  t.err(yield* u.malloc(20 * PAGE_SIZE), ENOMEM, 'a huge malloc fails');
  for (let i = 0; i < blocks.length; i++) t.ok(holds(u, blocks[i]!, sizes[i]!, i + 1), `block ${i} survives the failed mallocs`);

  t.eq(yield* u.brk(HEAP_BASE), 0, 'release the whole heap');
  t.eq(yield* freeFrames(u), free0, 'all heap frames returned');
}

function* memMmap(t: T, u: Libc): Co<void> {
  const free0 = yield* freeFrames(u);
  const lens = [PAGE_SIZE, 2 * PAGE_SIZE + 1, 100, PAGE_SIZE];
  const pagesOf = (len: number) => Math.ceil(len / PAGE_SIZE);
  const maps: number[] = [];
  let used = 0;
  for (let i = 0; i < MAX_MAPPINGS; i++) {
    const a = t.okCall(yield* u.mmap(lens[i]!), `mmap #${i + 1}`);
    t.ok(a % PAGE_SIZE === 0 && a >= MMAP_BASE && a + lens[i]! <= STACK_PAGE * PAGE_SIZE, `mapping #${i + 1} is page-aligned in the mmap area`);
    t.ok(allZero(u, a, pagesOf(lens[i]!) * PAGE_SIZE), `mapping #${i + 1} is zero-filled`);
    for (let j = 0; j < i; j++) {
      const disjoint = a + pagesOf(lens[i]!) * PAGE_SIZE <= maps[j]! || maps[j]! + pagesOf(lens[j]!) * PAGE_SIZE <= a;
      if (!disjoint) t.fail(`mapping #${i + 1} overlaps mapping #${j + 1}`);
    }
    maps.push(a);
    used += pagesOf(lens[i]!);
  }
  t.eq(maps[0], MMAP_BASE, 'the first mapping is placed first fit');
  t.eq(yield* freeFrames(u), free0 - used, 'mappings are backed eagerly, page by page');
  t.err(yield* u.mmap(PAGE_SIZE), ENOMEM, 'a fifth mapping exceeds the region table');

  for (let i = 0; i < maps.length; i++) u.poke(maps[i]!, pattern(40 + i, pagesOf(lens[i]!) * PAGE_SIZE));
  for (let i = 0; i < maps.length; i++) t.ok(holds(u, maps[i]!, pagesOf(lens[i]!) * PAGE_SIZE, 40 + i), `mapping #${i + 1} keeps its own data`);

  // Bad arguments change nothing.
  t.err(yield* u.mmap(0), EINVAL, 'mmap of length 0');
  t.err(yield* u.mmap(-PAGE_SIZE), EINVAL, 'mmap of negative length');
  t.err(yield* u.munmap(maps[0]! + 1, PAGE_SIZE), EINVAL, 'munmap of an unaligned address');
  t.err(yield* u.munmap(maps[0]!, 0), EINVAL, 'munmap of length 0');
  t.err(yield* u.munmap(HEAP_BASE, PAGE_SIZE), EINVAL, 'munmap outside the mmap area');
  t.err(yield* u.munmap(maps[1]! + PAGE_SIZE, PAGE_SIZE), EINVAL, 'munmap of a hole in the middle of a mapping');
  t.eq(yield* freeFrames(u), free0 - used, 'failed calls took and released nothing');

  // Unmap the three-page mapping; its frames come back and a new mapping there is zeroed.
  t.eq(yield* u.munmap(maps[1]!, lens[1]!), 0, 'munmap a whole mapping');
  t.eq(yield* freeFrames(u), free0 - used + 3, 'munmap returns the frames');
  used -= 3;
  const again = t.okCall(yield* u.mmap(3 * PAGE_SIZE), 'mmap after munmap');
  t.eq(again, maps[1], 'the freed range is reused first fit');
  t.ok(allZero(u, again, 3 * PAGE_SIZE), 'reused frames are zeroed, old data does not leak');
  maps[1] = again;
  used += 3;

  // Trim a mapping at its front: the rest keeps its data.
  u.poke(again, pattern(50, 3 * PAGE_SIZE));
  t.eq(yield* u.munmap(again, PAGE_SIZE), 0, 'munmap the first page of a mapping');
  t.ok(holds(u, again + PAGE_SIZE, 2 * PAGE_SIZE, 50, PAGE_SIZE), 'the remaining pages keep their data');
  t.eq(yield* u.munmap(again + 2 * PAGE_SIZE, PAGE_SIZE), 0, 'munmap the last page of a mapping');
  t.ok(holds(u, again + PAGE_SIZE, PAGE_SIZE, 50, PAGE_SIZE), 'the middle page survives both trims');
  t.eq(yield* freeFrames(u), free0 - used + 2, 'trims return their frames');
  used -= 2;

  // Unmap everything, then a hint and the whole area.
  t.eq(yield* u.munmap(again + PAGE_SIZE, PAGE_SIZE), 0, 'munmap the last page left of the trimmed mapping');
  for (const i of [0, 2, 3]) t.eq(yield* u.munmap(maps[i]!, lens[i]!), 0, `munmap mapping #${i + 1}`);
  t.eq(yield* freeFrames(u), free0, 'all mapping frames returned');
  const hint = MMAP_BASE + 10 * PAGE_SIZE;
  t.eq(yield* u.mmap(PAGE_SIZE, hint), hint, 'a free, aligned hint is honoured');
  t.eq(yield* u.munmap(hint, PAGE_SIZE), 0, 'munmap the hinted mapping');
  t.eq(yield* u.mmap(PAGE_SIZE, HEAP_BASE + PAGE_SIZE), MMAP_BASE, 'a hint outside the mmap area is ignored');
  t.eq(yield* u.munmap(MMAP_BASE, PAGE_SIZE), 0, 'munmap it');

  // One munmap may trim the end of one mapping and the start of the next.
  const p1 = t.okCall(yield* u.mmap(2 * PAGE_SIZE), 'first of two adjacent mappings');
  const p2 = t.okCall(yield* u.mmap(2 * PAGE_SIZE), 'second of two adjacent mappings');
  t.eq(p2, p1 + 2 * PAGE_SIZE, 'first fit places them side by side');
  u.poke(p1, pattern(60, 4 * PAGE_SIZE));
  t.eq(yield* u.munmap(p1 + PAGE_SIZE, 2 * PAGE_SIZE), 0, 'munmap across the boundary of two mappings');
  t.ok(holds(u, p1, PAGE_SIZE, 60) && holds(u, p2 + PAGE_SIZE, PAGE_SIZE, 60, 3 * PAGE_SIZE), 'the outer pages keep their data');
  t.eq(yield* freeFrames(u), free0 - 2, 'two pages are left mapped');
  t.eq(yield* u.munmap(p1, 1), 0, 'a length short of a page unmaps the whole page');
  t.eq(yield* u.munmap(p2 + PAGE_SIZE, PAGE_SIZE), 0, 'unmap the last page');
  t.eq(yield* freeFrames(u), free0, 'nothing is mapped any more');
  t.err(yield* u.mmap((MMAP_AREA_PAGES + 1) * PAGE_SIZE), ENOMEM, 'a mapping larger than the mmap area');
  const whole = t.okCall(yield* u.mmap(MMAP_AREA_PAGES * PAGE_SIZE), 'a mapping of the whole mmap area');
  t.err(yield* u.mmap(1), ENOMEM, 'nothing fits beside the whole-area mapping');
  u.pokeU32(whole + MMAP_AREA_PAGES * PAGE_SIZE - 4, 9);
  t.eq(yield* u.munmap(whole, MMAP_AREA_PAGES * PAGE_SIZE), 0, 'munmap the whole area');
  t.eq(yield* freeFrames(u), free0, 'the frame count is back where it started');
}

function* memFork(t: T, u: Libc): Co<void> {
  const h = t.okCall(yield* u.malloc(2 * PAGE_SIZE), 'malloc two pages');
  const m = t.okCall(yield* u.mmap(PAGE_SIZE), 'mmap one page');
  u.poke(h, pattern(1, 2 * PAGE_SIZE));
  u.poke(m, pattern(2, PAGE_SIZE));
  const brk0 = yield* u.sbrk(0);
  const free0 = yield* freeFrames(u);
  const fds = t.okCall(yield* u.pipe(), 'pipe for the go signal')!;

  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    const t = new T(c);
    t.hk.eq(yield* c.close(fds[1]), 0, 'child closes the write end');
    t.ok(holds(c, h, 2 * PAGE_SIZE, 1), 'child sees a copy of the heap');
    t.ok(holds(c, m, PAGE_SIZE, 2), 'child sees a copy of the mapping');
    t.eq(yield* c.sbrk(0), brk0, 'child inherits the break');
    c.poke(h, pattern(3, 2 * PAGE_SIZE));
    c.poke(m, pattern(4, PAGE_SIZE));
    const go = yield* c.read(fds[0], 1);
    t.ok(go !== null && go.length === 1, 'child got the go signal');
    t.ok(holds(c, h, 2 * PAGE_SIZE, 3), 'parent writes after fork are invisible to the child (heap)');
    t.ok(holds(c, m, PAGE_SIZE, 4), 'parent writes after fork are invisible to the child (mapping)');
    t.eq(yield* c.sbrk(PAGE_SIZE), brk0, 'child grows its own heap');
    t.eq(yield* c.munmap(m, PAGE_SIZE), 0, 'child unmaps its copy of the mapping');
    t.hk.eq(yield* c.close(fds[0]), 0, 'child closes the read end');
    return 0;
  });
  t.ok(pid > 0, 'fork');
  const copy = IMAGE_PAGES + Math.ceil((brk0 - HEAP_BASE) / PAGE_SIZE) + 1;
  t.eq(yield* freeFrames(u), free0 - copy, 'fork copies every mapped page eagerly');
  u.poke(h, pattern(5, 2 * PAGE_SIZE));
  u.poke(m, pattern(6, PAGE_SIZE));
  t.eq(yield* u.write(fds[1], 'g'), 1, 'send the go signal');
  t.hk.eq(yield* u.close(fds[1]), 0, 'close the write end');
  t.hk.eq(yield* u.close(fds[0]), 0, 'close the read end');
  yield* reapExit(t, u, pid, 0, 'child');
  t.ok(holds(u, h, 2 * PAGE_SIZE, 5), 'child writes are invisible to the parent (heap)');
  t.ok(holds(u, m, PAGE_SIZE, 6), 'child writes are invisible to the parent (mapping)');
  t.eq(yield* u.sbrk(0), brk0, 'the child\'s brk did not move the parent\'s break');
  t.eq(yield* freeFrames(u), free0, 'the child\'s frames were released at exit');
  t.eq(yield* u.munmap(m, PAGE_SIZE), 0, 'the parent\'s mapping is still there to unmap');
  t.hk.eq(yield* u.brk(HEAP_BASE), 0, 'release the heap');
}

/** The program as re-exec'd by mem_exec: argv = [name, 'fresh', free frames before the fork]. */
function* memExecFresh(t: T, u: Libc, argv: string[]): Co<void> {
  const lastData = (DATA_PAGE + DATA_PAGES) * PAGE_SIZE - 8;
  t.eq(u.peekU32(lastData), 0, 'the data segment of the new image is zeroed');
  t.eq(yield* u.sbrk(0), HEAP_BASE, 'the new image has an empty heap');
  t.eq(yield* freeFrames(u), Number(argv[2]) - IMAGE_PAGES, 'the old image\'s frames were released; the new one holds only its image');
  t.eq(yield* u.mmap(PAGE_SIZE), MMAP_BASE, 'no mapping survived exec (first fit starts at the base)');
  t.hk.eq(yield* u.munmap(MMAP_BASE, PAGE_SIZE), 0, 'munmap the new mapping');
  yield* expectSegv(t, u, 'old heap address after exec', (c) => { c.peek(HEAP_BASE, 1); });
  yield* expectSegv(t, u, 'old mapping address after exec', (c) => { c.peek(MMAP_BASE + 5 * PAGE_SIZE, 1); });
}

function* memExec(t: T, u: Libc, argv: string[]): Co<void> {
  if (argv[1] === 'fresh') return yield* memExecFresh(t, u, argv);
  const free0 = yield* freeFrames(u);
  const pid = yield* u.fork(function* (c: Libc): Co<number> {
    const t = new T(c);
    t.ok((yield* c.sbrk(3 * PAGE_SIZE)) > 0, 'grow the heap before exec');
    c.poke(HEAP_BASE, pattern(7, 3 * PAGE_SIZE));
    const m = t.okCall(yield* c.mmap(6 * PAGE_SIZE, MMAP_BASE + 5 * PAGE_SIZE), 'map memory before exec');
    c.poke(m, pattern(8, 6 * PAGE_SIZE));
    c.pokeU32((DATA_PAGE + DATA_PAGES) * PAGE_SIZE - 8, 0x12345678);
    t.err(yield* c.exec('/bin/mem_exec_no_such_program', ['x']), ENOENT, 'exec of a missing program fails');
    t.ok(holds(c, HEAP_BASE, 3 * PAGE_SIZE, 7), 'a failed exec keeps the heap');
    t.ok(holds(c, m, 6 * PAGE_SIZE, 8), 'a failed exec keeps the mappings');
    yield* c.exec('/bin/mem_exec', ['mem_exec', 'fresh', String(free0)]);
    return 99;
  });
  t.ok(pid > 0, 'fork');
  yield* reapExit(t, u, pid, 0, 'the re-exec\'d image');
  t.eq(yield* freeFrames(u), free0, 'every frame of the exec\'d child was released');

  // A different program image runs too.
  const other = yield* u.fork(function* (c: Libc): Co<number> {
    yield* c.sbrk(2 * PAGE_SIZE);
    yield* c.exec('/bin/smoke_fork', ['smoke_fork']);
    return 98;
  });
  yield* reapExit(t, u, other, 0, 'exec of /bin/smoke_fork');
  t.eq(yield* freeFrames(u), free0, 'no frames leaked across the second exec');
}

/**
 * Children take frames until none is left; each reports over its own pipe
 * (end of file if it died) and then waits on a shared release pipe.
 */
function* memOom(t: T, u: Libc): Co<void> {
  const free0 = yield* freeFrames(u);
  const release = t.okCall(yield* u.pipe(), 'release pipe')!;
  const pids: number[] = [];
  let exhausted = false;
  let forkFailed = false;
  for (let i = 0; i < 6 && !exhausted; i++) {
    const report = t.okCall(yield* u.pipe(), `report pipe ${i}`)!;
    const pid = yield* u.fork(function* (c: Libc): Co<number> {
      const t = new T(c);
      t.eq(yield* c.close(release[1]), 0, 'child closes the release write end');
      t.hk.eq(yield* c.close(report[0]), 0, 'child closes the report read end');
      const heapPages = Math.min(HEAP_MAX_PAGES, yield* freeFrames(c));
      if (heapPages > 0) t.eq(yield* c.brk(HEAP_BASE + heapPages * PAGE_SIZE), 0, 'child grows its heap');
      const maps: number[] = [];
      const mapPages: number[] = [];
      for (let r = 0; r < MAX_MAPPINGS; r++) {
        const n = Math.min(9, yield* freeFrames(c));
        if (n === 0) break;
        maps.push(t.okCall(yield* c.mmap(n * PAGE_SIZE), 'child maps pages'));
        mapPages.push(n);
      }
      const full = (yield* freeFrames(c)) === 0;
      if (full) {
        t.err(yield* c.mmap(PAGE_SIZE), ENOMEM, 'mmap with no free frames');
        if (heapPages < HEAP_MAX_PAGES) t.err(yield* c.sbrk(PAGE_SIZE), ENOMEM, 'sbrk with no free frames');
      }
      // Tag every page so a later check can tell the pages stayed ours.
      const tag = (r: number, p: number) => i * 1000 + r * 100 + p;
      for (let p = 0; p < heapPages; p++) c.pokeU32(HEAP_BASE + p * PAGE_SIZE, tag(0, p));
      for (let r = 0; r < maps.length; r++) for (let p = 0; p < mapPages[r]!; p++) c.pokeU32(maps[r]! + p * PAGE_SIZE, tag(r + 1, p));
      t.eq(yield* c.write(report[1], Uint8Array.of(full ? 1 : 0)), 1, 'child reports');
      t.hk.eq(yield* c.close(report[1]), 0, 'child closes the report write end');
      const rel = yield* c.read(release[0], 1);
      t.ok(rel !== null && rel.length === 0, 'child released by end of file');
      let ok = true;
      for (let p = 0; p < heapPages; p++) if (c.peekU32(HEAP_BASE + p * PAGE_SIZE) !== tag(0, p)) ok = false;
      for (let r = 0; r < maps.length; r++) for (let p = 0; p < mapPages[r]!; p++) if (c.peekU32(maps[r]! + p * PAGE_SIZE) !== tag(r + 1, p)) ok = false;
      t.ok(ok, 'child memory intact after the others filled memory');
      return 0;
    });
    if (pid < 0) {
      t.ok(u.errno === ENOMEM || u.errno === EAGAIN, 'fork fails with ENOMEM or EAGAIN when memory is gone');
      forkFailed = true;
    } else {
      pids.push(pid);
    }
    t.eq(yield* u.close(report[1]), 0, 'parent closes the report write end');
    if (pid > 0) {
      const r = yield* u.read(report[0], 1);
      t.ok(r !== null && r.length === 1, `child ${i} reported`);
      exhausted = r !== null && r[0] === 1;
    }
    t.hk.eq(yield* u.close(report[0]), 0, 'parent closes the report read end');
    if (forkFailed) break;
  }
  t.ok(exhausted || forkFailed, 'the children ran the system out of frames');
  t.ok(pids.length >= 3, 'several children held memory at once');
  t.eq(yield* freeFrames(u), 0, 'no frame is free');
  t.err(yield* u.mmap(PAGE_SIZE), ENOMEM, 'the parent cannot map memory either');
  t.err(yield* u.sbrk(PAGE_SIZE), ENOMEM, 'the parent cannot grow its heap');
  const f = yield* u.fork(function* (): Co<number> { return 0; });
  t.ok(f < 0 && (u.errno === ENOMEM || u.errno === EAGAIN), 'fork fails when the parent\'s image cannot be copied');

  t.eq(yield* u.close(release[1]), 0, 'release the children');
  for (const pid of pids) yield* reapExit(t, u, pid, 0, `child ${pid}`);
  t.hk.eq(yield* u.close(release[0]), 0, 'close the release read end');
  t.eq(yield* freeFrames(u), free0, 'every frame came back after the children exited');
  t.eq(yield* u.sbrk(PAGE_SIZE), HEAP_BASE, 'memory can be allocated again');
  t.hk.eq(yield* u.brk(HEAP_BASE), 0, 'and released');
}

function* memSegv(t: T, u: Libc): Co<void> {
  const free0 = yield* freeFrames(u);
  yield* expectSegv(t, u, 'NULL read', (c) => { c.peek(0, 4); });
  yield* expectSegv(t, u, 'write past the break', (c) => { c.pokeU32(HEAP_BASE + 5 * PAGE_SIZE, 1); });
  yield* expectSegv(t, u, 'read of the unmapped mmap area', (c) => { c.peek(MMAP_BASE + 20 * PAGE_SIZE, 1); });
  yield* expectSegv(t, u, 'read past the address space', (c) => { c.peek(VPAGES * PAGE_SIZE, 1); });
  yield* expectSegv(t, u, 'access from an unmapped page into the stack', (c) => { c.peek(STACK_PAGE * PAGE_SIZE - 2, 4); });

  // Memory that existed and was given back.
  const shrunk = yield* u.fork(function* (c: Libc): Co<number> {
    const t = new T(c);
    t.eq(yield* c.sbrk(PAGE_SIZE), HEAP_BASE, 'child grows its heap');
    c.pokeU32(HEAP_BASE, 1);
    t.eq(yield* c.sbrk(-PAGE_SIZE), HEAP_BASE + PAGE_SIZE, 'child shrinks its heap');
    c.peekU32(HEAP_BASE);
    return 0;
  });
  const [w1, s1] = yield* u.waitpid(shrunk);
  t.eq(w1, shrunk, 'reap the child that used released heap');
  t.ok(WIFSIGNALED(s1) && WTERMSIG(s1) === SIGSEGV, 'released heap memory faults');

  const unmapped = yield* u.fork(function* (c: Libc): Co<number> {
    const t = new T(c);
    const m = t.okCall(yield* c.mmap(2 * PAGE_SIZE), 'child maps two pages');
    c.pokeU32(m + PAGE_SIZE, 2);
    t.eq(yield* c.munmap(m + PAGE_SIZE, PAGE_SIZE), 0, 'child unmaps the second page');
    t.eq(c.peekU32(m), 0, 'the first page is still readable');
    c.pokeU32(m + PAGE_SIZE, 3);
    return 0;
  });
  const [w2, s2] = yield* u.waitpid(unmapped);
  t.eq(w2, unmapped, 'reap the child that used an unmapped page');
  t.ok(WIFSIGNALED(s2) && WTERMSIG(s2) === SIGSEGV, 'an unmapped page faults');

  // A child touching only valid memory (data, heap, stack) exits normally.
  const good = yield* u.fork(function* (c: Libc): Co<number> {
    c.pokeU32(DATA_PAGE * PAGE_SIZE + 64, 5);
    c.pokeU32(STACK_PAGE * PAGE_SIZE, 6);
    c.pokeU32(VPAGES * PAGE_SIZE - 4, 7);
    return c.peekU32(DATA_PAGE * PAGE_SIZE + 64) + c.peekU32(STACK_PAGE * PAGE_SIZE) + c.peekU32(VPAGES * PAGE_SIZE - 4);
  });
  yield* reapExit(t, u, good, 18, 'a child touching only valid memory');
  t.eq(yield* freeFrames(u), free0, 'the faulting children\'s frames were released');
}

export const memoryTests: TestProgram[] = [
  test('mem_brk', 'memory', function* (t: T, u: Libc): Co<void> { yield* memBrk(t, u); }),
  test('mem_malloc', 'memory', function* (t: T, u: Libc): Co<void> { yield* memMalloc(t, u); }),
  test('mem_mmap', 'memory', function* (t: T, u: Libc): Co<void> { yield* memMmap(t, u); }),
  test('mem_fork', 'memory', function* (t: T, u: Libc): Co<void> { yield* memFork(t, u); }),
  test('mem_exec', 'memory', function* (t: T, u: Libc, argv: string[]): Co<void> { yield* memExec(t, u, argv); }),
  test('mem_oom', 'memory', function* (t: T, u: Libc): Co<void> { yield* memOom(t, u); }),
  test('mem_segv', 'memory', function* (t: T, u: Libc): Co<void> { yield* memSegv(t, u); }),
];
