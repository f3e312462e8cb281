/*
 * The library entry point (package.json "exports": "osiris-fi"): using the
 * tool from Node rather than the command line. A thin file of re-exports
 * only, so moving a module changes an import line here and nothing else.
 * README ("Using it from Node") shows the calls.
 *
 * The entry points into this file are:
 *   loadCampaign, parseCampaign, campaignSchema     campaign files
 *   resolvePolicy, parsePolicy, policySchema, BUILTIN_POLICIES   recovery policies
 *   planCampaign, runCampaign, tally                 run a campaign into a results directory
 *   bootSnapshot, runOne, findBlock                  run one fault
 *   loadResults, compareReport, survivability, transitions   compare results
 *   manifestSchema, runRecordSchema, readManifest, readRuns  the results files
 *   ToolError                                        the errors the tool raises (a stable `code`)
 */
export { loadCampaign, parseCampaign, campaignSchema, campaignIdentity } from './experiment/campaign-spec';
export type { Campaign, CampaignMode } from './experiment/campaign-spec';
export { resolvePolicy, parsePolicy, policySchema, BUILTIN_POLICIES, POLICY_NAMES } from './osiris/policies';
export type { Policy } from './osiris/policies';
export { planCampaign, runCampaign } from './experiment/runner';
export type { CampaignPlan, RunCampaignOptions, CampaignResult } from './experiment/runner';
export { tally } from './experiment/tally';
export type { Tally } from './experiment/tally';
export { bootSnapshot, runOne } from './experiment/run-one';
export type { RunSpec, RunResult } from './experiment/run-one';
export { findBlock } from './experiment/faults';
export { loadResults } from './report/load-results';
export type { Results } from './report/load-results';
export { compareReport } from './cli/compare';
export type { CompareReport } from './cli/compare';
export { survivability } from './report/survivability';
export { transitions } from './report/transitions';
export { manifestSchema, runRecordSchema, readManifest, readRuns } from './experiment/journal';
export type { Manifest, RunRecord } from './experiment/journal';
export { ToolError } from './tool-error';
export type { ErrorCode } from './tool-error';
