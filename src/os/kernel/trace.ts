/*
 * The ordered message trace: a running 64-bit-ish FNV-1a hash over (time,
 * source, destination, type) of every delivered message, and, when asked,
 * a readable log. Two runs are the same run when their hashes agree.
 *
 * The entry points into this file are:
 *   Trace       the hash and the optional log (saved and loaded with a snapshot)
 *   TraceLine   one line of the readable log
 */
import { messageName } from '../proto/calls';
import { Msg } from './types';

export interface TraceLine { time: number; text: string }

/** The trace's fingerprint and count, as a snapshot keeps them. */
export interface TraceState { messages: number; h1: number; h2: number }

export class Trace {
  messages = 0;
  /** Two 32-bit FNV-1a lanes with different offsets make a 64-bit fingerprint. */
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x9e3779b9;
  recording = false;
  lines: TraceLine[] = [];

  message(time: number, src: number, dst: number, m: Msg): void {
    this.messages++;
    this.mix4(Math.round(time), src, dst, m.type);
    if (this.recording) this.lines.push({ time, text: `${src} -> ${dst} ${messageName(m.type)}${m.type < 0 ? '' : ''}` });
  }

  event(time: number, text: string): void {
    if (this.recording) this.lines.push({ time, text });
  }

  /** Mix four values, each as four little-endian bytes, into both lanes (kept in locals: this is hot). */
  private mix4(v0: number, v1: number, v2: number, v3: number): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let j = 0; j < 4; j++) {
      const v = (j === 0 ? v0 : j === 1 ? v1 : j === 2 ? v2 : v3) | 0;
      for (let i = 0; i < 32; i += 8) {
        const b = (v >>> i) & 0xff;
        h1 = Math.imul(h1 ^ b, 0x01000193);
        h2 = Math.imul(h2 ^ b, 0x01000193) ^ (h2 >>> 15);
      }
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  hash(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }

  /** Data for snapshots. */
  save(): TraceState { return { messages: this.messages, h1: this.h1, h2: this.h2 }; }
  load(d: TraceState): void { this.messages = d.messages; this.h1 = d.h1; this.h2 = d.h2; }
}
