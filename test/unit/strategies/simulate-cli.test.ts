import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';

const ROOT = join(__dirname, '..', '..', '..');
const TRACE = join(ROOT, 'test', 'fixtures', 'traces', 'prompt-edited.jsonl');

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => '' };
  const code = await main(['simulate', ...argv], io);
  return { code, out, err };
}

describe('simulate CLI', () => {
  it('--json prints per-request usage, cost and explanation plus totals', async () => {
    const { code, out } = await cli('--trace', TRACE, '--strategy', 'tiered', '--json');
    assert.equal(code, 0);
    const j = JSON.parse(out);
    assert.equal(j.strategy, 'tiered');
    assert.equal(j.requests.length, 20);
    const first = j.requests[0];
    assert.deepEqual(Object.keys(first).sort(), ['cost_usd', 'explanation', 'index', 'usage']);
    assert.deepEqual(Object.keys(first.usage.cache_creation).sort(), ['ephemeral_1h_input_tokens', 'ephemeral_5m_input_tokens']);
    assert.match(j.requests[10].explanation, /^The prompt changed at block 0, system instructions.*Policy 7 \(revised March\)/);
    const sum = j.requests.reduce((s: number, r: { cost_usd: number }) => s + r.cost_usd, 0);
    assert.ok(Math.abs(sum - j.total_usd) < 1e-8);
    assert.ok(j.lower_bound_usd <= j.total_usd && j.total_usd < j.no_cache_usd);
  });

  it('--emit-requests adds each body as sent', async () => {
    const j = JSON.parse((await cli('--trace', TRACE, '--strategy', 'automatic', '--json', '--emit-requests')).out);
    assert.deepEqual(j.requests[0].request.cache_control, { type: 'ephemeral' });
  });

  it('human output: a table and totals', async () => {
    const { code, out } = await cli('--trace', TRACE, '--strategy', 'none');
    assert.equal(code, 0);
    assert.match(out, /^\s+# +at +input +read +write5m +write1h +USD explanation/);
    assert.match(out, /strategy none: total \$[\d.]+, without caching \$[\d.]+, lower bound \$[\d.]+ \(×[\d.]+\)\n$/);
  });

  it('unknown strategy, missing trace, broken line: one line on stderr, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcl-sim-'));
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"at_s":0,"request":{"model":"claude-sonnet-5","messages":[{"role":"user","content":"hi"}]},"output_tokens":1}\n{oops\n');
    for (const [args, re] of [
      [['--trace', TRACE, '--strategy', 'greedy'], /unknown strategy 'greedy'/],
      [['--trace', join(dir, 'missing.jsonl'), '--strategy', 'tiered'], /--trace: .*missing\.jsonl does not exist/],
      [['--trace', broken, '--strategy', 'tiered'], /trace line 2: not valid JSON/],
      [['--strategy', 'tiered'], /--trace <file\|-> is required/],
    ] as const) {
      const r = await cli(...args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });

  it('runs as a process', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'simulate', '--trace', TRACE, '--strategy', 'system-only', '--json'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).requests.length, 20);
  });
});
