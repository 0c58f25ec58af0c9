// Bad input to any CLI command: one line on stderr and exit 2, never exit 1 with an internal
// message, never a hang. Each case here was exit 1, a hang or a crash before.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => stdin };
  const code = await main(argv, io);
  return { code, out, err };
}

const USAGE = '{"input_tokens": 10, "output_tokens": 5}';
const line = (request: object) => JSON.stringify({ at_s: 0, request: { model: 'claude-sonnet-5', max_tokens: 10, ...request } });

describe('cli: bad input is one line and exit 2', () => {
  let dir: string;
  const file = (name: string, text: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pcl-bad-'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'huge'), '');
    truncateSync(join(dir, 'huge'), 1.5 * 1024 ** 3);
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'package.json'), '{}');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const expectBad = async (argv: string[], message: RegExp, stdin?: string) => {
    const r = await run(argv, stdin);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /internal error|Cannot read properties|\n\s+at /);
  };

  it('cost --prices with 1e308 prices (was: exit 1, "Infinity cannot be converted to a BigInt")', async () => {
    const prices = file('p308.json', JSON.stringify({ 'claude-sonnet-5': { input: 1e308, write5m: 1e308, write1h: 1e308, read: 1e308, output: 1e308 } }));
    await expectBad(['cost', '--model', 'claude-sonnet-5', '--usage', USAGE, '--prices', prices], /field "input" must be at most 1,000,000 USD per million tokens, got 1e\+308; /);
  });

  it('a 100,000-deep JSON on stdin or in a trace (was: stack overflow, exit 1)', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    await expectBad(['cost', '--model', 'claude-sonnet-5', '--usage', '-'], /--usage is nested more than 128 levels deep/, deep);
    const trace = file('deep.jsonl', line({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'DEEP' }] }] }).replace('"DEEP"', deep));
    await expectBad(['simulate', '--trace', trace, '--strategy', 'tiered'], /trace line 1: nested more than 128 levels deep/);
    const schema = '{"type":"object","x":' + '{"x":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}';
    const tools = file('deep-tools.jsonl', line({ tools: [{ name: 'a', input_schema: 'SCHEMA' }], messages: [{ role: 'user', content: 'hi' }] }).replace('"SCHEMA"', schema));
    await expectBad(['simulate', '--trace', tools, '--strategy', 'automatic'], /trace line 1: nested more than 128 levels deep/);
  });

  it('a trace with content: [null] and other malformed blocks (was: "Cannot read properties of null")', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ messages: [{ role: 'user', content: [null] }] }, /messages\[0\]\.content\[0\] must be a content block object, got null/],
      [{ messages: [{ role: 'user', content: [{ type: 'text' }] }] }, /messages\[0\]\.content\[0\]\.text must be a string, got nothing/],
      [{ messages: [{ role: 'user', content: [{ text: 'x' }] }] }, /\.type must be a string/],
      [{ system: [null], messages: [{ role: 'user', content: 'x' }] }, /system\[0\] must be a content block object/],
      [{ tools: [5], messages: [{ role: 'user', content: 'x' }] }, /tools\[0\] must be a tool definition object, got a number/],
      [{ tools: {}, messages: [{ role: 'user', content: 'x' }] }, /"request.tools" must be an array, got an object/],
    ];
    for (const [request, message] of cases) {
      await expectBad(['simulate', '--trace', file('t.jsonl', line(request)), '--strategy', 'tiered'], message);
    }
    const out = file('out.jsonl', JSON.stringify({ at_s: 0, request: { model: 'claude-sonnet-5', messages: [{ role: 'user', content: 'x' }] }, output_tokens: 1e300 }));
    await expectBad(['simulate', '--trace', out, '--strategy', 'tiered'], /trace line 1: "output_tokens" must be a whole number/);
  });

  it('a FIFO, /dev/zero, a folder, a 1.5 GB file and a binary file, for every file flag (was: hang, unbounded read)', async () => {
    const bin = file('bin.dat', Buffer.from([0x89, 0x50, 0x00, 0x00, 0x01]));
    const targets: Array<[string, RegExp]> = [
      [join(dir, 'fifo'), /is a named pipe \(FIFO\), not a regular file/],
      ['/dev/zero', /\/dev\/zero is a character device, not a regular file/],
      [join(dir, 'folder'), /is a directory/],
      [join(dir, 'huge'), /is 1\.5 GB, over the \d+ MB limit/],
      [bin, /looks binary/],
    ];
    for (const [target, message] of targets) {
      await expectBad(['plan', target], message);
      await expectBad(['simulate', '--trace', target, '--strategy', 'tiered'], message);
      await expectBad(['cost', '--model', 'claude-sonnet-5', '--usage', USAGE, '--prices', target], message);
      await expectBad(['plan', file('ok.prompt.md', '---\nid: ok\n---\nBody\n'), '--prices', target], message);
      await expectBad(['emulator', '--script', target], message);
      if (target !== bin) await expectBad(['count', target], message);
    }
  });

  it('stdin over its cap is refused', async () => {
    await expectBad(['cost', '--model', 'claude-sonnet-5', '--usage', '-'], /stdin is over the 1 MB limit/, ' '.repeat(1024 * 1024 + 1));
  });

  it('as a process, stdin from /dev/zero stops at the cap with exit 2 instead of reading forever', function () {
    this.timeout(60_000);
    const zero = openSync('/dev/zero', 'r');
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'cost', '--model', 'claude-sonnet-5', '--usage', '-'], {
        cwd: join(__dirname, '../../..'),
        stdio: [zero, 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 50_000,
      });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, 'prompt-cache-lab cost: stdin is over the 1 MB limit\n');
    } finally {
      closeSync(zero);
    }
  });

  it('absurdly nested front matter and scripts are refused before the YAML parser', async () => {
    const prompt = file('deep.prompt.md', `---\nid: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\nBody\n`);
    for (let i = 0; i < 2; i++) {
      const r = await run(['plan', prompt]);
      assert.equal(r.code, 2);
      assert.match(r.err, /:1:1: error: Front matter nests [\d,]+ levels deep; the limit is 32 levels/);
    }
    await expectBad(['emulator', '--script', file('deep.yaml', `turns: ${'['.repeat(5000)}`)], /--script: .*deep\.yaml line 1 nests more than 64 levels deep/);
  });

  it('prices files listing several problems print them on one line', async () => {
    const prices = file('multi.json', JSON.stringify({ a: { input: -1 }, b: 5 }));
    await expectBad(['cost', '--model', 'claude-sonnet-5', '--usage', USAGE, '--prices', prices], /model "a": field "input" must not be negative.*; .*model "b": must be an object/);
  });

  it('simulate reads the trace from stdin with -', async () => {
    const r = await run(['simulate', '--trace', '-', '--strategy', 'tiered', '--json'], line({ messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).requests.length, 1);
  });
});
