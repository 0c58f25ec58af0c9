// The entry of dist/node.js: the Node adapters the extension needs only once a session starts
// (the ledger file, the agent tools with their YAML mock results, the panel's template inputs). Built as its own bundle and
// loaded on first use, so activation does not parse the YAML parser or the prompt registry.
export { agentToolsFor } from './agentTools';
export { createLedgerFile } from './ledgerFile';
export { loadLedger } from './ledgerLoad';
export { ledgerParts } from './ledgerLoad';
export { startMetricsServer } from './metrics';
export { promptSamplesOf } from './promptSamples';
