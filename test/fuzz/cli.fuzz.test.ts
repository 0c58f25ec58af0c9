// Fuzz tier for the CLI: random and adversarial front matter (plan), traces (simulate), usage
// JSON (cost) and prices files, through `main()` in process. Every run must end in exit 0 or 2,
// with bad input as a one-line message: never exit 1, a stack trace, an internal error or a hang.
// Each property runs once with a fixed seed (reproducible) and once with a random one (fast-check
// prints its seed when it fails). Bounded: about 10 s in all.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { main } from '../../src/cli';
import type { CliIO } from '../../src/cli/io';
import { STRATEGY_NAMES } from '../../src/core/strategies/strategies';
import { MODEL_IDS, pricesText, promptText, traceText, usageText } from './cliArbitraries';

const FIXED_SEED = 20261201;
/** PCL_FUZZ_SCALE=20 runs twenty times as many random cases (for a longer hunt; the default stays fast). */
const SCALE = Math.max(1, Number(process.env.PCL_FUZZ_SCALE) || 1);
const RUNS = { fixed: 120, random: 40 * SCALE };
/** Far above any single run here (a few ms); a run this slow is a hang. */
const HANG_MS = 5000;

interface Outcome {
  code: number;
  err: string;
}

async function run(argv: string[], stdin = ''): Promise<Outcome> {
  let err = '';
  const io: CliIO = { stdout: () => undefined, stderr: (t) => void (err += t), readStdin: async () => stdin };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung: ${argv.join(' ').slice(0, 200)}`)), HANG_MS)));
  try {
    return { code: await Promise.race([main(argv, io), hang]), err };
  } finally {
    clearTimeout(timer);
  }
}

/** Exit 0 or 2; on 2 the last line is the command's one-line message; `diagnostics` allows file:line lines before it. */
function assertClean(o: Outcome, command: string, diagnostics = false): void {
  const where = `exit ${o.code}, stderr:\n${o.err.slice(0, 2000)}`;
  assert.ok(o.code === 0 || o.code === 2, where);
  assert.doesNotMatch(o.err, /internal error|\n\s+at |Cannot read properties|is not a function|Maximum call stack/, where);
  if (o.code !== 2) return;
  const lines = o.err.trimEnd().split('\n');
  assert.ok((lines.at(-1) ?? '').startsWith(`prompt-cache-lab ${command}: `), where);
  if (!diagnostics) assert.equal(lines.length, 1, where);
  else for (const l of lines.slice(0, -1)) assert.match(l, /^.+:\d+(:\d+)?: (error|warning|info): /, where);
}

async function check<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>): Promise<void> {
  await fc.assert(fc.asyncProperty(arb, predicate), { seed: FIXED_SEED, numRuns: RUNS.fixed });
  await fc.assert(fc.asyncProperty(arb, predicate), { numRuns: RUNS.random });
}

describe('fuzz: cli', function () {
  this.timeout(20_000 * SCALE);
  let dir: string;
  let n = 0;
  const file = (name: string, text: string) => {
    const p = join(dir, `${n++}-${name}`);
    writeFileSync(p, text);
    return p;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pcl-fuzz-'));
    mkdirSync(join(dir, 'docs'));
    mkdirSync(join(dir, 'tools'));
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'docs/ok.md'), 'A context document.\n');
    writeFileSync(join(dir, 'tools/t.json'), '[{"name": "get_weather", "input_schema": {"type": "object"}}]');
    symlinkSync('/etc/passwd', join(dir, 'docs/link-out.md'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('plan: any front matter ends in exit 0 or 2 with file:line diagnostics', async () => {
    await check(fc.tuple(promptText, fc.boolean()), async ([text, json]) => {
      const prompt = file('p.prompt.md', text);
      assertClean(await run(['plan', prompt, ...(json ? ['--json'] : [])]), 'plan', true);
    });
  });

  it('simulate: any trace ends in exit 0 or 2 with one line', async () => {
    const args = fc.tuple(traceText, fc.constantFrom(...STRATEGY_NAMES), fc.subarray(['--json', '--emit-requests']), fc.boolean());
    await check(args, async ([text, strategy, flags, viaStdin]) => {
      const trace = viaStdin ? '-' : file('t.jsonl', text);
      assertClean(await run(['simulate', '--trace', trace, '--strategy', strategy, ...flags], text), 'simulate');
    });
  });

  it('cost: any usage JSON ends in exit 0 or 2 with one line', async () => {
    const args = fc.tuple(usageText, fc.constantFrom(...MODEL_IDS, 'nope', ''), fc.constantFrom([], ['--ttl', '1h'], ['--ttl', '5m'], ['--json']), fc.boolean());
    await check(args, async ([usage, model, flags, viaStdin]) => {
      assertClean(await run(['cost', '--model', model, '--usage', viaStdin ? '-' : usage, ...flags], usage), 'cost');
    });
  });

  it('cost and simulate: any prices file ends in exit 0 or 2 with one line', async () => {
    const usage = '{"input_tokens": 1000, "output_tokens": 50, "cache_read_input_tokens": 9007199254740991}';
    const trace = JSON.stringify({ at_s: 0, request: { model: 'claude-sonnet-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, output_tokens: 5 });
    await check(fc.tuple(pricesText, fc.constantFrom(...MODEL_IDS)), async ([prices, model]) => {
      const p = file('prices.json', prices);
      assertClean(await run(['cost', '--model', model, '--usage', usage, '--prices', p]), 'cost');
      assertClean(await run(['simulate', '--trace', file('t.jsonl', trace.replace('claude-sonnet-5', model)), '--strategy', 'tiered', '--prices', p]), 'simulate');
    });
  });

  it('every file flag refuses a FIFO and /dev/zero at once', async () => {
    for (const target of [join(dir, 'fifo'), '/dev/zero', dir]) {
      assertClean(await run(['plan', target]), 'plan');
      assertClean(await run(['count', target]), 'count');
      assertClean(await run(['simulate', '--trace', target, '--strategy', 'tiered']), 'simulate');
      assertClean(await run(['cost', '--model', 'claude-sonnet-5', '--usage', '{}', '--prices', target]), 'cost');
    }
  });
});
