// The entry of dist/backends.js: everything the extension needs only once a request is made
// (the Anthropic SDK, the emulator, the response cache). Built as its own bundle and loaded on
// first use, so activation does not parse the SDK.
export { createAnthropicBackend } from './anthropic/backend';
export { startEmulatorInWorker } from './emulator/workerClient';
export { ResponseCache } from './responseCache';
