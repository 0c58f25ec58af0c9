import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { emulatorCommand } from '../../../src/cli/emulator';
import { CliError, type CliIO } from '../../../src/cli/io';
import { parseScriptText } from '../../../src/backends/emulator/script';
import { readFileSync } from 'node:fs';

const SCRIPT = join(__dirname, '../../fixtures/emulator-scripts/weather-agent.yaml');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => '' };
  return { out, err, value };
}

async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('backends/cli emulator command', () => {
  it('prints the URL, serves the script, and stops on SIGTERM', async () => {
    const o = io();
    const running = emulatorCommand(['--port', '0', '--script', SCRIPT], o.value);
    await until(() => o.out.length > 0);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(o.out.join(''))?.[1];
    assert.ok(url, o.out.join(''));
    const state = (await (await fetch(`${url}/_emulator/state`)).json()) as { script_turns_left: number };
    assert.equal(state.script_turns_left, 2);
    process.emit('SIGTERM');
    assert.equal(await running, 0);
    await assert.rejects(fetch(`${url}/_emulator/state`));
  });

  it('rejects bad flags and bad scripts clearly', async () => {
    await assert.rejects(emulatorCommand(['--port', 'abc'], io().value), (e: unknown) => e instanceof CliError && /--port/.test(e.message));
    await assert.rejects(emulatorCommand(['--script', '/nonexistent.yaml'], io().value), (e: unknown) => e instanceof CliError && /--script: \/nonexistent\.yaml does not exist/.test(e.message));
    await assert.rejects(emulatorCommand(['--bogus'], io().value), CliError);
  });

  it('parses the shipped example script and reports script errors with their location', () => {
    const s = parseScriptText(readFileSync(SCRIPT, 'utf8'), SCRIPT);
    assert.equal(s.turns.length, 2);
    assert.equal(s.turns[0]?.content[1]?.type, 'tool_use');
    assert.throws(() => parseScriptText('turns:\n  - content:\n      - type: image\n', 'x.yaml'), /turns\[0\]\.content\[0\]\.type/);
    assert.throws(() => parseScriptText('{"turns": [', 'x.json'), /not valid JSON/);
    assert.throws(() => parseScriptText('turns: [{text: hi, output_tokens: -1}]'), /output_tokens/);
  });
});
