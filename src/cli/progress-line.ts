/*
 * The campaign's progress line on a terminal: a bar, runs done of all,
 * the rate, the ETA and the outcome tally per mode, fitted to the
 * terminal's width — the tally is shortened, then dropped, then the bar
 * narrowed, rather than any part cut mid-word. No ETA until a run of this
 * invocation finished (there is no rate to base it on). `pause()` ends the
 * line so a message (Ctrl-C) can be printed on its own line without the
 * bar drawing over it.
 *
 * The entry points into this file are:
 *   ProgressLine   start / update / pause / stop
 *   fitProgress    the line for given figures and width (pure; tested)
 */

export interface ProgressFigures {
  done: number;
  total: number;
  /** Runs finished by this invocation, and the seconds it has been running. */
  ranHere: number;
  seconds: number;
  /** Per mode: pass/fail/shutdown/crash counts. */
  tally: [string, [number, number, number, number]][];
}

function duration(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line for a terminal `width` columns wide (never longer than width - 1). */
export function fitProgress(f: ProgressFigures, width: number): string {
  const max = Math.max(20, width - 1);
  const count = `${f.done}/${f.total} runs`;
  const rate = f.ranHere > 0 && f.seconds > 0 ? f.ranHere / f.seconds : 0;
  const rateText = f.ranHere > 0 ? `${rate.toFixed(1)} runs/s` : '';
  const eta = f.ranHere > 0 && rate > 0 ? `ETA ${duration((f.total - f.done) / rate)}` : '';
  const long = f.tally.length ? 'pass/fail/shutdown/crash: ' + f.tally.map(([m, t]) => `${m} ${t.join('/')}`).join('  ') : '';
  const short = f.tally.length ? 'p/f/s/c ' + f.tally.map(([, t]) => t.join('/')).join(' ') : '';
  const join = (parts: string[]) => parts.filter(Boolean).join(' | ');
  // The most informative text that fits beside a bar of at least 10 columns.
  const candidates = [join([count, rateText, eta, long]), join([count, rateText, eta, short]), join([count, rateText, eta]), join([count, eta]), count];
  for (const text of candidates) {
    const room = max - text.length - 1;
    if (room >= 10) return `${bar(f.done, f.total, Math.min(40, room))} ${text}`;
  }
  return count.length <= max ? count : count.slice(0, max);
}

function bar(done: number, total: number, width: number): string {
  const full = total > 0 ? Math.round((width * done) / total) : width;
  return '\u2588'.repeat(full) + '\u2591'.repeat(width - full);
}

export class ProgressLine {
  private last = 0;
  private live = false;
  private figures: ProgressFigures | null = null;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(f: ProgressFigures): void { this.live = true; this.draw(f, true); }

  update(f: ProgressFigures): void { if (this.live) this.draw(f, false); }

  /** End the line and stop drawing (before printing a message). */
  pause(): void {
    if (!this.live) return;
    this.live = false;
    if (this.figures) this.render(this.figures);
    this.stream.write('\n');
  }

  stop(): void { this.pause(); }

  private draw(f: ProgressFigures, force: boolean): void {
    this.figures = f;
    const now = Date.now();
    // At most ~10 redraws a second, and always the last one.
    if (!force && now - this.last < 100 && f.done < f.total) return;
    this.last = now;
    this.render(f);
  }

  private render(f: ProgressFigures): void {
    this.stream.write(`\r${fitProgress(f, this.stream.columns || 80)}\x1b[K`);
  }
}
