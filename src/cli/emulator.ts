// `prompt-cache-lab emulator [--port n] [--script file]`: the offline Anthropic-compatible server,
// running until SIGINT/SIGTERM.
import { CliError, parseFlags, type CliCommand } from './io';
import { INPUT_LIMITS, readInputText } from './inputs';
import { MAX_YAML_DEPTH, yamlTooDeepAt } from '../shared/nesting';
import { parseScriptText, type EmulatorScript } from '../backends/emulator/script';
import { startEmulator } from '../backends/emulator/server';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new CliError(`--port: expected an integer from 0 to 65535, got '${value}'`);
  return n;
}

async function loadScript(path: string | undefined): Promise<EmulatorScript | undefined> {
  if (path === undefined) return undefined;
  const text = await readInputText(path, '--script', INPUT_LIMITS.script);
  // The script parser belongs to the emulator; absurd nesting is refused before it sees the text.
  const deep = yamlTooDeepAt(text);
  if (deep > 0) throw new CliError(`--script: ${path} line ${deep} nests more than ${MAX_YAML_DEPTH} levels deep`);
  try {
    return parseScriptText(text, path);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** Resolves when one of the signals arrives (injectable for tests). */
export function waitForSignal(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      for (const x of signals) process.off(x, on);
      resolve(s);
    };
    for (const s of signals) process.on(s, on);
  });
}

export const emulatorCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseFlags(argv, { port: { type: 'string' }, script: { type: 'string' } }, false);
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'`);
  const port = parsePort(values.port);
  const script = await loadScript(values.script);
  let emu;
  try {
    emu = await startEmulator({ port, script });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EADDRINUSE' ? `port ${port} is already in use; pick another with --port (0 = any free port)` : (err as Error).message, 1);
  }
  io.stdout(`listening on ${emu.url}\n`);
  if (script) io.stdout(`script: ${script.turns.length} turn(s) from ${values.script}\n`);
  const signal = await waitForSignal();
  await emu.close();
  io.stderr(`emulator stopped (${signal})\n`);
  return 0;
};
