/* Where a campaign's results go: results/<campaign>-<id>[-shard<i>of<n>], the id a hash of the manifest. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { campaignId, resultsDir } from '../src/experiment/results-store';
import type { Manifest } from '../src/experiment/journal';

const manifest = {
  format: 1, campaign: { name: 'tiny', file: 'tiny.json', identity: { seed: 's' } }, tool: { name: 'osiris-fi', version: '0' },
  variantHash: 'v', profileHash: 'p', faults: [{ block: 'pm/a.ts:f#0', faultType: 'null-pointer' }], modes: ['enhanced'], runs: 1, shard: null,
} as unknown as Manifest;

test('the id is the same for the same plan and differs for another one', () => {
  assert.match(campaignId(manifest), /^[0-9a-f]{8}$/);
  assert.equal(campaignId(structuredClone(manifest)), campaignId(manifest));
  assert.notEqual(campaignId({ ...manifest, variantHash: 'w' }), campaignId(manifest));
});

test('the folder: the one resumed, else the one asked for, else results/<campaign>-<id> with the shard', () => {
  const id = campaignId(manifest);
  assert.equal(resultsDir({ manifest, shard: null }), path.resolve('results', `tiny-${id}`));
  assert.equal(resultsDir({ manifest, shard: { index: 2, count: 3 } }), path.resolve('results', `tiny-${id}-shard2of3`));
  assert.equal(resultsDir({ manifest, shard: null, out: 'o' }), path.resolve('o'));
  assert.equal(resultsDir({ manifest, shard: null, out: 'o', resume: 'r' }), path.resolve('r'));
});
