/*
 * Classifying a run (DESIGN §6), in this order: deadlock or budget
 * exhausted -> timeout; any controlled shutdown -> shutdown; kernel panic,
 * uncontrolled crash or simulator fault -> crash; tests not completed ->
 * crash; a test failed -> fail; else pass. Tables count timeout as Crash,
 * as the paper did; the record keeps the detail.
 */
import type { Halt } from '../os/kernel/kernel';
import type { ProgramResult } from '../sim/sim';

export type Outcome = 'pass' | 'fail' | 'shutdown' | 'crash';
export type Detail = 'timeout' | 'deadlock' | 'shutdown' | 'panic' | 'crash' | 'simulator-error' | 'incomplete' | 'fail' | 'pass';

export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'shutdown', 'crash'];

export function classify(halt: Halt | null, tests: ProgramResult[], simulatorError: string | null): { outcome: Outcome; detail: Detail } {
  if (simulatorError !== null) return { outcome: 'crash', detail: 'simulator-error' };
  const kind = halt?.kind ?? 'idle';
  if (kind === 'deadlock') return { outcome: 'crash', detail: 'deadlock' };
  if (kind === 'timeout') return { outcome: 'crash', detail: 'timeout' };
  if (kind === 'shutdown') return { outcome: 'shutdown', detail: 'shutdown' };
  if (kind === 'panic') return { outcome: 'crash', detail: 'panic' };
  if (kind === 'crash') return { outcome: 'crash', detail: 'crash' };
  if (tests.some((t) => t.status === 'incomplete')) return { outcome: 'crash', detail: 'incomplete' };
  if (tests.some((t) => t.status === 'fail')) return { outcome: 'fail', detail: 'fail' };
  return { outcome: 'pass', detail: 'pass' };
}
