/*
 * The ordered message trace: a running 64-bit-ish FNV-1a hash over (time,
 * source, destination, type) of every delivered message, and, when asked,
 * a readable log. Two runs are the same run when their hashes agree.
 */
import { messageName } from '../proto/calls';
import { Msg } from './types';

export interface TraceLine { time: number; text: string }

export class Trace {
  messages = 0;
  /** Two 32-bit FNV-1a lanes with different offsets make a 64-bit fingerprint. */
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x9e3779b9;
  recording = false;
  lines: TraceLine[] = [];

  message(time: number, src: number, dst: number, m: Msg): void {
    this.messages++;
    this.mix(Math.round(time));
    this.mix(src);
    this.mix(dst);
    this.mix(m.type);
    if (this.recording) this.lines.push({ time, text: `${src} -> ${dst} ${messageName(m.type)}${m.type < 0 ? '' : ''}` });
  }

  event(time: number, text: string): void {
    if (this.recording) this.lines.push({ time, text });
  }

  private mix(v: number): void {
    v = v | 0;
    for (let i = 0; i < 4; i++) {
      const b = (v >>> (i * 8)) & 0xff;
      this.h1 = Math.imul(this.h1 ^ b, 0x01000193);
      this.h2 = Math.imul(this.h2 ^ b, 0x01000193) ^ (this.h2 >>> 15);
    }
  }

  hash(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }

  /** Data for snapshots. */
  save(): { messages: number; h1: number; h2: number } { return { messages: this.messages, h1: this.h1, h2: this.h2 }; }
  load(d: { messages: number; h1: number; h2: number }): void { this.messages = d.messages; this.h1 = d.h1; this.h2 = d.h2; }
}
