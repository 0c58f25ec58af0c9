// One typed view of the extension's settings, mirroring contributes.configuration in package.json
// (a test checks that keys and defaults agree). Read fresh on each use: no global mutable copy.
import * as vscode from 'vscode';

export type BackendChoice = 'auto' | 'anthropic' | 'offline';

export interface Settings {
  backend: BackendChoice;
  defaultModel: string;
  models: Record<string, unknown>;
  baseUrl: string;
  useAnthropicEnvironment: boolean;
  maxRetries: number;
  timeoutSeconds: number;
  cacheDiagnostics: boolean;
  exactCounts: boolean;
  'responseCache.enabled': boolean;
  'responseCache.agentLoops': boolean;
  'responseCache.ttlHours': number;
  'responseCache.maxMegabytes': number;
  'tokenCount.debounceMs': number;
  'statusBar.enabled': boolean;
  'emulator.script': string;
  'agent.maxIterations': number;
  'ledger.path': string;
  'session.idleMinutes': number;
  budgetUsd: number;
  'metrics.port': number | null;
  promptGlobs: string[];
  'codeLens.enabled': boolean;
  'prompts.maxFileBytes': number;
}

export const SECTION = 'promptCacheLab';

/** Defaults, identical to package.json (tested). */
export const DEFAULTS: Settings = {
  backend: 'auto',
  defaultModel: 'claude-sonnet-5',
  models: {},
  baseUrl: 'https://api.anthropic.com',
  useAnthropicEnvironment: false,
  maxRetries: 2,
  timeoutSeconds: 600,
  cacheDiagnostics: false,
  exactCounts: false,
  'responseCache.enabled': false,
  'responseCache.agentLoops': false,
  'responseCache.ttlHours': 24,
  'responseCache.maxMegabytes': 50,
  'tokenCount.debounceMs': 250,
  'statusBar.enabled': true,
  'emulator.script': '',
  'agent.maxIterations': 10,
  'ledger.path': '',
  'session.idleMinutes': 30,
  budgetUsd: 0,
  'metrics.port': null,
  promptGlobs: ['**/*.prompt.md', '.prompts/**/*.md', '**/*.prompty'],
  'codeLens.enabled': true,
  'prompts.maxFileBytes': 2097152,
};

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const out = { ...DEFAULTS } as Record<keyof Settings, unknown>;
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    out[key] = cfg.get(key, DEFAULTS[key]);
  }
  return out as unknown as Settings;
}

export function affects(e: vscode.ConfigurationChangeEvent, key?: keyof Settings): boolean {
  return e.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
}
