/*
 * Physical memory and address translation. VM decides which frame backs
 * which page (through SYS_VMCTL); the kernel only translates and copies.
 * An access to an unmapped page is a segmentation fault.
 *
 * The entry points into this file are:
 *   PhysMem                       the frames, frame copy and zeroing, and reads and writes through a process's page table
 *   NR_FRAMES, PAGE_SIZE, VPAGES  the machine's geometry (re-exported from proto/vm.ts)
 */
import { SegFault } from './errors';
import { Proc } from './proc';

import { NR_FRAMES, PAGE_SIZE, VPAGES } from '../proto/vm';

export { NR_FRAMES, PAGE_SIZE, VPAGES };

export class PhysMem {
  bytes: Uint8Array;

  /** Zeroed memory, or (restoring a snapshot) a private copy of `image`. */
  constructor(image?: Uint8Array) {
    if (image && image.length !== NR_FRAMES * PAGE_SIZE) throw new RangeError(`memory image of ${image.length} bytes`);
    this.bytes = image ? image.slice() : new Uint8Array(NR_FRAMES * PAGE_SIZE);
  }

  copyFrame(src: number, dst: number): void {
    this.bytes.copyWithin(dst * PAGE_SIZE, src * PAGE_SIZE, (src + 1) * PAGE_SIZE);
  }

  zeroFrame(f: number): void {
    this.bytes.fill(0, f * PAGE_SIZE, (f + 1) * PAGE_SIZE);
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
      this.bytes.set(data, this.frameBase(p, addr) + first);
      return;
    }
    let done = 0;
    while (done < data.length) {
      const va = addr + done;
      const off = va % PAGE_SIZE;
      const n = Math.min(data.length - done, PAGE_SIZE - off);
      const base = this.frameBase(p, va);
      this.bytes.set(data.subarray(done, done + n), base + off);
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
