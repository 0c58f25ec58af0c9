import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';

async function run(argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => stdin };
  const code = await main(['cost', ...argv], io);
  return { code, out, err };
}

const USAGE = JSON.stringify({
  input_tokens: 50, cache_creation_input_tokens: 248, cache_read_input_tokens: 100000,
  cache_creation: { ephemeral_5m_input_tokens: 148, ephemeral_1h_input_tokens: 100 }, output_tokens: 503,
});

describe('cli cost', () => {
  it('--json prints exactly the documented object', async () => {
    const { code, out, err } = await run(['--model', 'claude-sonnet-5', '--usage', USAGE, '--json']);
    assert.equal(err, '');
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.deepEqual(Object.keys(json), ['model', 'cost_usd', 'no_cache_usd', 'saved_usd', 'hit_ratio', 'breakdown_usd', 'price_source']);
    // 50 x 2 + 148 x 2.5 + 100 x 4 + 100000 x 0.2 + 503 x 10 = 25900 micro-dollars
    assert.equal(json.cost_usd, 0.0259);
    assert.equal(json.no_cache_usd, 0.205626); // 100298 x 2 + 5030
    assert.equal(json.saved_usd, 0.179726);
    assert.equal(json.hit_ratio, 100000 / 100298);
    assert.deepEqual(json.breakdown_usd, { input: 0.0001, cache_write_5m: 0.00037, cache_write_1h: 0.0004, cache_read: 0.02, output: 0.00503 });
    assert.match(json.price_source, /^prices as of 2026-11-27.*claude-sonnet-5: DOC-PRICE/);
  });

  it('human output is a table without ≈ when exact, with ≈ where estimated', async () => {
    const exact = await run(['--model', 'claude-opus-4-5', '--usage', USAGE]);
    assert.equal(exact.code, 0);
    assert.match(exact.out, /claude-opus-4-5-20251101 \(Claude Opus 4\.5\)/);
    assert.match(exact.out, /cache write 1h\s+100\s+10\s+\$0\.001\n/);
    assert.doesNotMatch(exact.out, /≈/);
    const guess = await run(['--model', 'claude-sonnet-5', '--usage', '{"input_tokens":1,"output_tokens":1,"cache_creation_input_tokens":10}']);
    assert.match(guess.out, /cache write 5m\s+10\s+2\.5\s+≈\$0\.000025/);
    assert.match(guess.out, /total\s+≈\$0\.000037/);
    assert.match(guess.out, /without caching\s+\$0\.000032\n/);
    assert.match(guess.out, /negative: caching cost more/);
    const ttl = await run(['--model', 'claude-sonnet-5', '--ttl', '1h', '--usage', '{"input_tokens":1,"output_tokens":1,"cache_creation_input_tokens":10}']);
    assert.doesNotMatch(ttl.out, /≈/);
    assert.match(ttl.out, /cache write 1h\s+10\s+4\s+\$0\.00004\n/);
  });

  it('marks unconfirmed prices and reads usage from stdin', async () => {
    const r = await run(['--model', 'claude-fable-5-2', '--usage', '-'], '{"input_tokens": 1000, "output_tokens": 0}');
    assert.equal(r.code, 0);
    assert.match(r.out, /total\s+\$0\.008\n/);
    assert.match(r.out, /UNCONFIRMED prices/);
  });

  const fails: Array<[string, string[], RegExp]> = [
    ['unknown model', ['--model', 'gpt-4o', '--usage', USAGE], /Unknown model "gpt-4o".*promptCacheLab\.models/],
    ['unpriced model', ['--model', 'claude-mythos-5-2', '--usage', USAGE], /No prices are known for claude-mythos-5-2.*--prices/],
    ['malformed usage JSON', ['--model', 'claude-sonnet-5', '--usage', '{input_tokens: 5}'], /--usage is not valid JSON/],
    ['negative counts', ['--model', 'claude-sonnet-5', '--usage', '{"input_tokens": -5, "output_tokens": 1}'], /usage\.input_tokens must not be negative/],
    ['missing --model', ['--usage', USAGE], /--model <id> is required/],
    ['missing --usage', ['--model', 'claude-sonnet-5'], /--usage '<usage JSON>' is required/],
    ['bad --ttl', ['--model', 'claude-sonnet-5', '--usage', USAGE, '--ttl', '2h'], /--ttl must be 5m or 1h/],
    ['unknown flag', ['--model', 'claude-sonnet-5', '--usage', USAGE, '--nope'], /nope/],
    ['missing prices file', ['--model', 'claude-sonnet-5', '--usage', USAGE, '--prices', '/nonexistent/p.json'], /--prices: \/nonexistent\/p\.json does not exist/],
  ];
  for (const [name, argv, pattern] of fails) {
    it(`${name}: message on stderr, exit 2`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.match(r.err, /^prompt-cache-lab cost: /);
      assert.match(r.err, pattern);
    });
  }

  it('--prices adds a model and bad prices files exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcl-cli-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ 'claude-mythos-5-2': { input: 10, write5m: 12.5, write1h: 20, read: 1, output: 50 } }));
    const ok = await run(['--model', 'claude-mythos-5-2', '--usage', '{"input_tokens":1000,"output_tokens":1000}', '--prices', good, '--json']);
    assert.equal(ok.code, 0);
    assert.equal(JSON.parse(ok.out).cost_usd, 0.06);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"claude-sonnet-5": {"input": 1,,}}');
    const r = await run(['--model', 'claude-sonnet-5', '--usage', USAGE, '--prices', bad]);
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid JSON: .*line 1, column 33/);
  });

  it('the real process exits 2 on bad input and 0 on good input', function () {
    this.timeout(30000);
    const node = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'cost', ...args], { encoding: 'utf8' });
    const bad = node(['--model', 'claude-sonnet-5', '--usage', '{"input_tokens": -1, "output_tokens": 0}']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /input_tokens must not be negative/);
    const good = node(['--model', 'claude-sonnet-5', '--usage', '{"input_tokens": 3, "output_tokens": 0}', '--json']);
    assert.equal(good.status, 0);
    assert.equal(JSON.parse(good.stdout).cost_usd, 0.000006);
  });
});
