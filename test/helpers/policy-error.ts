/* The one-line PolicyError a call throws, for tests of policy validation. */
import assert from 'node:assert/strict';
import { PolicyError } from '../../src/osiris/policies';

/** The PolicyError a call throws (fails the test when it throws nothing, something else, or more than one line). */
export function policyError(f: () => unknown): string {
  try { f(); } catch (e) {
    assert.ok(e instanceof PolicyError, `expected a PolicyError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `one line: ${JSON.stringify(e.message)}`);
    return e.message;
  }
  assert.fail('no PolicyError thrown');
}
