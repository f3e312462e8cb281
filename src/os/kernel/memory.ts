/*
 * Physical memory and address translation. VM decides which frame backs
 * which page (through SYS_VMCTL); the kernel only translates and copies.
 * An access to an unmapped page is a segmentation fault.
 *
 * The entry points into this file are:
 *   PhysMem                       the frames, frame copy and zeroing, and reads and writes through a process's page table
 *   PhysMem.release               give a finished world's memory back for the next restore to reuse
 *   NR_FRAMES, PAGE_SIZE, VPAGES  the machine's geometry (re-exported from proto/vm.ts)
 */
import { SegFault } from './errors';
import { Proc } from './proc';

import { NR_FRAMES, PAGE_SIZE, VPAGES } from '../proto/vm';

export { NR_FRAMES, PAGE_SIZE, VPAGES };

const MEM_BYTES = NR_FRAMES * PAGE_SIZE;

/** Memory a finished world gave back: its bytes, the image they were restored from, and the frames written since. */
interface Released { bytes: Uint8Array; image: Uint8Array | null; dirty: Uint8Array }

/*
 * Memory of released worlds (PhysMem.release), at most a few. A campaign
 * restores the same snapshot once per run and a run writes a few frames of
 * 256: a restore from the image a released memory was restored from copies
 * back only the frames written since (every write goes through the methods
 * below, which mark them), any other restore copies the whole image. Only
 * what a world's owner released, when nothing can touch it any more, is here.
 */
const released: Released[] = [];
const MAX_RELEASED = 4;

export class PhysMem {
  /** The frames' bytes: read them freely, write them only through the methods (they mark the frames written). */
  bytes: Uint8Array;
  /** The snapshot image `bytes` were restored from (null: zeroed at boot). */
  private image: Uint8Array | null = null;
  /** Frames written since `bytes` equalled `image` (1: written). */
  private dirty: Uint8Array;

  /** Zeroed memory, or (restoring a snapshot) a private copy of `image`. */
  constructor(image?: Uint8Array) {
    if (image && image.length !== MEM_BYTES) throw new RangeError(`memory image of ${image.length} bytes`);
    const r = image ? released.pop() : undefined;
    if (!image || !r) {
      this.bytes = image ? image.slice() : new Uint8Array(MEM_BYTES);
      this.image = image ?? null;
      this.dirty = new Uint8Array(NR_FRAMES);
      return;
    }
    if (r.image === image) {
      // A snapshot never changes once taken: only the frames written since differ from it.
      for (let f = 0; f < NR_FRAMES; f++) if (r.dirty[f]) r.bytes.set(image.subarray(f * PAGE_SIZE, (f + 1) * PAGE_SIZE), f * PAGE_SIZE);
    } else {
      r.bytes.set(image);
    }
    r.dirty.fill(0);
    this.bytes = r.bytes;
    this.image = image;
    this.dirty = r.dirty;
  }

  /**
   * The world is over: its memory may back a later restore. Nothing may
   * read or write this memory afterwards (this object keeps none of it).
   */
  release(): void {
    const r: Released = { bytes: this.bytes, image: this.image, dirty: this.dirty };
    this.bytes = new Uint8Array(0);
    this.image = null;
    this.dirty = new Uint8Array(0);
    if (r.bytes.length === MEM_BYTES && released.length < MAX_RELEASED) released.push(r);
  }

  copyFrame(src: number, dst: number): void {
    this.frameWritten(dst);
    this.bytes.copyWithin(dst * PAGE_SIZE, src * PAGE_SIZE, (src + 1) * PAGE_SIZE);
  }

  zeroFrame(f: number): void {
    this.frameWritten(f);
    this.bytes.fill(0, f * PAGE_SIZE, (f + 1) * PAGE_SIZE);
  }

  /** Mark frame `f` written; a frame number that is no frame (a fault's value) may write anywhere: all are marked. */
  private frameWritten(f: number): void {
    if (Number.isInteger(f) && f >= 0 && f < NR_FRAMES) this.dirty[f] = 1;
    else this.dirty.fill(1);
  }

  /** Mark the frames `bytes.set(src, at)` writes (the offset truncated, as set() does). */
  private bytesWritten(at: number, len: number): void {
    if (len <= 0) return;
    const start = Math.trunc(at);
    for (let f = Math.floor(start / PAGE_SIZE); f <= Math.floor((start + len - 1) / PAGE_SIZE); f++) this.dirty[f] = 1;
  }

  /** Read `len` bytes at virtual address `addr` of `p`. */
  read(p: Proc, addr: number, len: number): Uint8Array {
    // The common case: an integral range inside one page is one copy.
    const first = addr % PAGE_SIZE;
    if (len > 0 && first >= 0 && first + len <= PAGE_SIZE && Number.isInteger(addr) && Number.isInteger(len)) {
      const base = this.frameBase(p, addr);
      return this.bytes.slice(base + first, base + first + len);
    }
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const va = addr + done;
      const off = va % PAGE_SIZE;
      const n = Math.min(len - done, PAGE_SIZE - off);
      const base = this.frameBase(p, va);
      out.set(this.bytes.subarray(base + off, base + off + n), done);
      done += n;
    }
    return out;
  }

  /** Write `data` at virtual address `addr` of `p`. */
  write(p: Proc, addr: number, data: Uint8Array): void {
    const first = addr % PAGE_SIZE;
    if (data instanceof Uint8Array && data.length > 0 && first >= 0 && first + data.length <= PAGE_SIZE && Number.isInteger(addr)) {
      const base = this.frameBase(p, addr);
      this.dirty[base / PAGE_SIZE] = 1;
      this.bytes.set(data, base + first);
      return;
    }
    let done = 0;
    while (done < data.length) {
      const va = addr + done;
      const off = va % PAGE_SIZE;
      const n = Math.min(data.length - done, PAGE_SIZE - off);
      const at = this.frameBase(p, va) + off;
      const src = data.subarray(done, done + n);
      this.bytesWritten(at, src.length);
      this.bytes.set(src, at);
      done += n;
    }
  }

  private frameBase(p: Proc, va: number): number {
    const vp = Math.floor(va / PAGE_SIZE);
    const f = vp >= 0 && vp < VPAGES ? p.pt[vp]! : -1;
    if (f < 0) throw new SegFault(p.endpoint, va);
    return f * PAGE_SIZE;
  }
}
