// `run` end to end: the session runner, the emulator in process, the official SDK over HTTP,
// the workspace tools and the ledger, exactly as a user runs it offline.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';
import { encodeRecord } from '../../../src/core/ledger/codec';
import { makeRecord } from '../../support/records';

const WS = resolve(__dirname, '../../fixtures/workspace');
const PROMPT = join(WS, '.prompts/support-agent.md');

async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => '' };
  const code = await main(argv, io);
  return { code, out, err };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'pcl-run-'));

describe('cli run', () => {
  it('runs a two-turn chat offline: turn 1 writes, turn 2 reads; --json has the documented shape', async () => {
    const { code, out, err } = await cli(['run', PROMPT, '--workspace', WS, '--message', 'Where is AO-1?', '--message', 'And AO-2?', '--json']);
    assert.equal(err, '');
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.equal(json.requests.length, 2);
    for (const r of json.requests) for (const k of ['turn', 'step', 'usage', 'cost_usd', 'stop_reason', 'explanation', 'tool_calls']) assert.ok(k in r, `request has ${k}`);
    const [a, b] = json.requests;
    assert.deepEqual([a.turn, b.turn], [1, 2]);
    assert.ok(a.usage.cache_creation_input_tokens > 1024 && a.usage.cache_read_input_tokens === 0);
    assert.ok(b.usage.cache_read_input_tokens >= a.usage.cache_creation_input_tokens);
    assert.equal(json.total_usd, Number((a.cost_usd + b.cost_usd).toFixed(14)));
  });

  it('appends every request to --ledger in the extension format, and `report` reads it back', async () => {
    const ledger = join(tmp(), 'ledger.jsonl');
    assert.equal((await cli(['run', PROMPT, '--workspace', WS, '--message', 'one', '--ledger', ledger])).code, 0);
    assert.equal((await cli(['run', PROMPT, '--workspace', WS, '--message', 'two', '--ledger', ledger])).code, 0);
    const lines = readFileSync(ledger, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.equal(lines[0].v, 1);
    assert.equal(lines[0].sessionId, lines[1].sessionId, 'a second run inside the idle gap joins the session');
    const report = await cli(['report', ledger, '--json']);
    assert.equal(report.code, 0);
    const r = JSON.parse(report.out);
    assert.equal(r.requests, 2);
    assert.equal(r.total_usd, Number((lines[0].cost.total + lines[1].cost.total).toFixed(14)));
  });

  it('learns the TTL from the ledger: a prompt used every 20 minutes yesterday starts at 1h this morning', async () => {
    const ws = tmp();
    const body = 'You answer questions about the release process. '.repeat(300);
    writeFileSync(join(ws, 'r.prompt.md'), `---\nid: rhythm\n---\n${body}\n`);
    const cold = await cli(['run', join(ws, 'r.prompt.md'), '--workspace', ws, '--message', 'hi', '--json']);
    assert.equal(cold.code, 0, cold.err);
    assert.equal(JSON.parse(cold.out).requests[0].usage.cache_creation.ephemeral_1h_input_tokens, 0, 'without history: 5m');
    const ledger = join(tmp(), 'ledger.jsonl');
    const yesterday = Date.now() - 16 * 3_600_000;
    writeFileSync(ledger, Array.from({ length: 8 }, (_, i) => encodeRecord(makeRecord({ promptId: 'rhythm', atMs: yesterday + i * 20 * 60_000 }))).join(''));
    const warm = await cli(['run', join(ws, 'r.prompt.md'), '--workspace', ws, '--message', 'hi', '--ledger', ledger, '--json']);
    assert.equal(warm.code, 0, warm.err);
    assert.ok(JSON.parse(warm.out).requests[0].usage.cache_creation.ephemeral_1h_input_tokens > 1024, 'with a 20-minute rhythm in the ledger the prompt is written at 1h');
  });

  it('--agent runs the built-in tools in the workspace from a scripted emulator turn; escapes come back as tool errors', async () => {
    const dir = tmp();
    const script = join(dir, 'script.yaml');
    writeFileSync(script, [
      'turns:',
      '  - content:',
      '      - { type: tool_use, name: read_file, input: { path: docs/faq.md } }',
      '      - { type: tool_use, name: read_file, input: { path: ../../../../etc/passwd } }',
      '  - text: "Done."',
    ].join('\n'));
    const { code, out, err } = await cli(['run', PROMPT, '--agent', '--workspace', WS, '--script', script, '--message', 'Read the FAQ', '--json']);
    assert.equal(code, 0, err);
    const json = JSON.parse(out);
    assert.equal(json.requests.length, 2);
    assert.deepEqual(json.requests[0].tool_calls.map((t: { name: string; is_error: boolean }) => [t.name, t.is_error]), [['read_file', false], ['read_file', true]]);
    assert.equal(json.requests[0].stop_reason, 'tool_use');
    assert.equal(json.requests[1].stop_reason, 'end_turn');
    assert.ok(json.requests[1].usage.cache_read_input_tokens > 0, 'step 2 reads what step 1 wrote');
    assert.equal(json.turns[0].answer.includes('Done.'), true);
  });

  it('answers the prompt\'s own tools from --tool-results', async () => {
    const dir = tmp();
    const script = join(dir, 'script.yaml');
    writeFileSync(script, 'turns:\n  - content:\n      - { type: tool_use, name: lookup_order, input: { order_id: AO-1 } }\n  - text: "Shipped."\n');
    const results = join(dir, 'results.json');
    writeFileSync(results, JSON.stringify({ lookup_order: { status: 'shipped' } }));
    const { code, out, err } = await cli(['run', PROMPT, '--agent', '--workspace', WS, '--script', script, '--tool-results', results, '--message', 'status?', '--json']);
    assert.equal(code, 0, err);
    assert.deepEqual(JSON.parse(out).requests[0].tool_calls, [{ name: 'lookup_order', input: { order_id: 'AO-1' }, is_error: false }]);
  });

  it('refuses a symlink out of the workspace in read_file', async () => {
    const ws = tmp();
    writeFileSync(join(ws, 'p.prompt.md'), '---\nid: p\n---\nYou help.\n');
    symlinkSync('/etc/hostname', join(ws, 'leak.txt'));
    const script = join(tmp(), 's.yaml');
    writeFileSync(script, 'turns:\n  - content:\n      - { type: tool_use, name: read_file, input: { path: leak.txt } }\n  - text: ok\n');
    const { out } = await cli(['run', join(ws, 'p.prompt.md'), '--agent', '--workspace', ws, '--script', script, '--message', 'x', '--json']);
    assert.equal(JSON.parse(out).requests[0].tool_calls[0].is_error, true);
  });

  for (const [why, argv, pattern] of [
    ['no message', ['run', PROMPT], /--message/],
    ['an empty message', ['run', PROMPT, '--message', ' '], /--message/],
    ['no prompt', ['run', '--message', 'x'], /prompt file/],
    ['a missing prompt file', ['run', join(WS, 'nope.prompt.md'), '--message', 'x'], /nope\.prompt\.md/],
    ['a bad backend', ['run', PROMPT, '--message', 'x', '--backend', 'cloud'], /--backend/],
    ['--tool-results without --agent', ['run', PROMPT, '--message', 'x', '--tool-results', 'r.json'], /--agent/],
    ['a prompt with errors', ['run', join(WS, 'prompts/broken.prompt.md'), '--workspace', WS, '--message', 'x'], /line \d+/],
    ['an unknown flag', ['run', PROMPT, '--message', 'x', '--nope'], /nope/],
  ] as const) {
    it(`exits 2 with one line for ${why}`, async () => {
      const { code, err, out } = await cli([...argv]);
      assert.equal(code, 2, `${err}${out}`);
      assert.match(err, pattern);
      assert.equal(err.trim().split('\n').length, 1, err);
    });
  }

  it('exits 2 when --backend anthropic has no ANTHROPIC_API_KEY', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const { code, err } = await cli(['run', PROMPT, '--workspace', WS, '--message', 'x', '--backend', 'anthropic']);
      assert.equal(code, 2);
      assert.match(err, /ANTHROPIC_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
