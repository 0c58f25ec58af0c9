// codelens.update: a keystroke in a ~100k-token prompt updates its CodeLens within one debounce
// interval. The path is the extension's: RegistryCore.upsert (debounced by
// promptCacheLab.tokenCount.debounceMs, the delay the CodeLens follows), the plan of the edited
// text in the shipped engine worker through EngineClient, the registry's batched publish, then the
// summary the CodeLens shows. Measured per keystroke: from the keystroke to the summary, minus the
// debounce itself, against the debounce interval (goal: ratio ≤ 1).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelTable } from '../../src/core/models/table';
import { RegistryCore } from '../../src/core/registry/registryCore';
import { countO200k } from '../../src/core/tokens/count';
import { EngineClient, SupersededError } from '../../src/node/engineClient';
import { summarize } from '../../src/host/prompts/summary';
import { workerPath } from './registry.bench';
import type { BenchOptions } from './index';

const round = (x: number) => Math.round(x * 1000) / 1000;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

/** Prose and code (the README, then TypeScript's ES5 typings) in slices up to `tokens`. */
function body(tokens: number): string {
  const source = `${readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')}\n${readFileSync(require.resolve('typescript/lib/lib.es5.d.ts'), 'utf8')}`;
  let text = '';
  for (let at = 0; countO200k(text) < tokens; at = (at + 20_000) % source.length) text += source.slice(at, at + 20_000);
  return text;
}

/** The setting's default as package.json declares it (host/config mirrors it, but needs vscode). */
function defaultDebounceMs(): number {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
  const v = pkg.contributes.configuration.properties['promptCacheLab.tokenCount.debounceMs']?.default;
  if (typeof v !== 'number') throw new Error('package.json declares no default for promptCacheLab.tokenCount.debounceMs');
  return v;
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  const n = opts.smoke ? { tokens: 2_000, keystrokes: 3 } : { tokens: 100_000, keystrokes: 21 };
  const debounceMs = defaultDebounceMs();
  const root = mkdtempSync(join(tmpdir(), 'pcl-bench-codelens-'));
  writeFileSync(join(root, 'package.json'), '{}');
  const path = join(root, 'big.prompt.md');
  // The open editor's text: what the registry plans while the file is being typed in.
  let editor = `---\nid: big\nmodel: claude-sonnet-5\n---\n${body(n.tokens)}`;
  const client = new EngineClient(workerPath());
  const models = createModelTable();
  let shown: { text: string; at: number } | undefined;
  // A publish shows a keystroke's edit only with a new plan (a batch may carry the previous one).
  let lastPlan: unknown;
  const registry: RegistryCore<string> = new RegistryCore<string>({
    plan: (r) => client.plan(r),
    input: (p, text) => ({ path: p, text, root, modelOverrides: {}, defaultModel: 'claude-sonnet-5' }),
    text: async () => editor,
    relativePath: () => 'big.prompt.md',
    warn: (m) => process.stderr.write(`codelens.update: ${m}\n`),
    debounceMs: () => debounceMs,
    superseded: (err) => err instanceof SupersededError,
    publish: () => {
      const p = registry.get(path);
      if (p?.plan && p.plan !== lastPlan) lastPlan = p.plan;
      else return;
      shown = { text: summarize(p.plan, models.tryResolve(p.plan.model), p.readError).text, at: performance.now() };
    },
  });
  try {
    registry.upsert(path, 0);
    await registry.whenIdle();
    while (!shown) await new Promise((r) => setTimeout(r, 1));
    const tokens = countO200k(editor);
    const after: number[] = [];
    for (let i = 0; i < n.keystrokes; i++) {
      const pos = editor.length - 1 - ((i * 7919) % 5000);
      editor = `${editor.slice(0, pos)}x${editor.slice(pos)}`;
      shown = undefined;
      const t0 = performance.now();
      registry.upsert(path);
      await registry.whenIdle();
      // The publish follows the plan by one batch interval.
      while (!shown) await new Promise((r) => setTimeout(r, 1));
      after.push((shown as { at: number }).at - t0 - debounceMs);
    }
    const median = quantile(after, 0.5);
    const p95 = quantile(after, 0.95);
    return [
      {
        name: 'codelens.update',
        tokens,
        keystrokes: after.length,
        debounce_ms: debounceMs,
        after_debounce_median_ms: round(median),
        after_debounce_p95_ms: round(p95),
        median_vs_debounce: round(median / debounceMs),
        p95_vs_debounce: round(p95 / debounceMs),
        lens: shown ? (shown as { text: string }).text : '',
      },
    ];
  } finally {
    registry.dispose();
    client.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}
