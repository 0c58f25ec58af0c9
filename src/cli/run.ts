// `run <prompt-file> --message <text> [--message <text>…] [--agent] [--workspace <dir>]
//  [--tool-results <file>] [--backend offline|anthropic] [--script <file>] [--ledger <file>] [--json]`:
// one conversation through the same session runner and ledger format as the extension. Offline,
// the emulator runs in this process and the official SDK talks to it over HTTP.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createAnthropicBackend } from '../backends/anthropic/backend';
import { DEFAULT_BASE_URL } from '../backends/anthropic/sdk';
import { parseScriptText } from '../backends/emulator/script';
import { startEmulator, type EmulatorHandle } from '../backends/emulator/server';
import type { RequestRecord } from '../core/ledger/record';
import { createGapCollector, sessionFor } from '../core/ledger/sessions';
import type { BackendPort, LedgerSink, ToolExecutor } from '../core/ports';
import type { TurnResult } from '../core/session/agentLoop';
import { createLocalForecaster } from '../core/session/localForecaster';
import { Conversation } from '../core/session/runner';
import { agentToolsFor } from '../node/agentTools';
import { createLedgerFile, type LedgerFile } from '../node/ledgerFile';
import { loadLedger } from '../node/ledgerLoad';
import { MockToolsError } from '../node/mockTools';
import { printRun, runJson } from './runOutput';
import { INPUT_LIMITS, readInputText } from './inputs';
import { CliError, parseFlags, printJson, type CliCommand } from './io';

const FLAGS = {
  message: { type: 'string', multiple: true },
  agent: { type: 'boolean' },
  workspace: { type: 'string' },
  'tool-results': { type: 'string' },
  backend: { type: 'string' },
  script: { type: 'string' },
  ledger: { type: 'string' },
  json: { type: 'boolean' },
} as const;

interface Backend {
  port: BackendPort;
  close(): Promise<void>;
}

async function offline(scriptPath: string | undefined): Promise<Backend> {
  const script = scriptPath ? parseScriptText(await readInputText(scriptPath, '--script', INPUT_LIMITS.script), scriptPath) : undefined;
  const emu: EmulatorHandle = await startEmulator({ port: 0, ...(script ? { script } : {}) });
  const sdk = createAnthropicBackend({ apiKey: 'offline-emulator-key', baseURL: emu.url, maxRetries: 0 });
  return { port: { kind: 'offline', cacheScope: 'offline-emulator', send: (r, h) => sdk.send(r, h) }, close: () => emu.close() };
}

function anthropic(script: string | undefined): Backend {
  if (script) throw new CliError('--script replays answers on the offline emulator only; drop it or use --backend offline');
  const apiKey = process.env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) throw new CliError('--backend anthropic needs the API key in the ANTHROPIC_API_KEY environment variable');
  const sdk = createAnthropicBackend({ apiKey, baseURL: DEFAULT_BASE_URL });
  return { port: { kind: 'anthropic', cacheScope: `anthropic|${DEFAULT_BASE_URL}`, send: (r, h) => sdk.send(r, h) }, close: async () => undefined };
}

interface RunLedger {
  sink: LedgerSink;
  file?: LedgerFile;
  sessionId: string;
  /** What the ledger knows of each prompt's rhythm (and this run's own requests): the TTL advisor's history. */
  history: (nowMs: number) => Record<string, number[]>;
}

/** The ledger to append to, the session this run joins (resumed from its last record) and the prompts' history. */
async function ledgerFor(path: string | undefined, now: number): Promise<RunLedger> {
  const gaps = createGapCollector();
  let latest: RequestRecord | undefined;
  if (path) {
    await loadLedger(path, (r) => {
      gaps.add(r);
      if (!latest || r.atMs >= latest.atMs) latest = r;
    }, { missingOk: true }).catch((err: NodeJS.ErrnoException) => {
      throw new CliError(`--ledger: cannot read ${path}: ${err.code ?? err.message}`);
    });
  }
  const last = latest ? { sessionId: latest.sessionId, startedAtMs: latest.atMs, lastAtMs: latest.atMs } : undefined;
  const file = path ? createLedgerFile({ path, onWarning: (m) => process.stderr.write(`prompt-cache-lab run: ${m}\n`) }) : undefined;
  const sink: LedgerSink = {
    append: (r) => {
      gaps.add(r);
      file?.append(r);
    },
  };
  return { sink, ...(file ? { file } : {}), sessionId: sessionFor(last, now).state.sessionId, history: (t) => gaps.history(t) };
}

async function toolsFor(agent: boolean, promptPath: string, root: string, toolResults: string | undefined): Promise<ToolExecutor | undefined> {
  if (!agent) {
    if (toolResults) throw new CliError('--tool-results answers tool calls of an agent turn; add --agent');
    return undefined;
  }
  try {
    return await agentToolsFor({ promptPath, promptText: await readFile(promptPath, 'utf8'), root, ...(toolResults ? { toolResults } : {}) });
  } catch (err) {
    if (err instanceof MockToolsError) throw new CliError(err.message);
    throw err;
  }
}

export const runCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (positionals.length !== 1) throw new CliError(positionals.length ? `expected one prompt file, got ${positionals.length}` : 'expected a prompt file: run <prompt-file> --message <text>');
  const messages = values.message ?? [];
  if (messages.length === 0 || messages.some((m) => m.trim() === '')) throw new CliError('give at least one non-empty --message (each is one user turn)');
  if (values.backend !== undefined && values.backend !== 'offline' && values.backend !== 'anthropic') throw new CliError(`--backend must be offline or anthropic, got "${values.backend}"`);
  const promptPath = resolve(positionals[0] as string);
  const root = resolve(values.workspace ?? process.cwd());
  await readInputText(promptPath, 'the prompt file', INPUT_LIMITS.prompt);
  const tools = await toolsFor(values.agent === true, promptPath, root, values['tool-results']);
  const ledger = await ledgerFor(values.ledger, Date.now());
  const backend = values.backend === 'anthropic' ? anthropic(values.script) : await offline(values.script);
  const forecaster = createLocalForecaster({ promptPath, root, readText: () => readFile(promptPath, 'utf8'), defaultModel: 'claude-sonnet-5', history: ledger.history });
  const conversation = new Conversation(
    { forecaster, backend: async () => backend.port, ledger: ledger.sink, ...(tools ? { tools } : {}), clock: { now: () => Date.now() }, newId: randomUUID, sessionId: () => ledger.sessionId },
    { id: randomUUID(), turns: 0, messages: [], lastMessageId: null },
  );
  const turns: TurnResult[] = [];
  try {
    for (const text of messages) {
      const turn = await conversation.send(text, { mode: values.agent ? 'agent' : 'chat' });
      turns.push(turn);
      if (turn.stop.reason === 'failed') break;
    }
  } finally {
    await backend.close();
    await ledger.file?.close();
  }
  if (values.json) printJson(io, runJson(turns));
  else printRun(io, turns);
  const failed = turns.find((t) => t.stop.reason === 'failed');
  if (failed) io.stderr(`prompt-cache-lab run: turn ${failed.turn}: ${failed.stop.message}\n`);
  return failed ? 1 : 0;
};
