// registry.scan (design.md "Performance budgets"): 500 prompt files among 2,000 other files
// registered and planned within 1 s, with the longest main-thread task during the scan (goal
// ≤ 16 ms). It drives the extension's own pipeline without VS Code: the prompt-file matcher
// (promptMatcher), RegistryCore's queue, readPromptText over node:fs in place of
// workspace.fs, plans from the shipped engine worker (dist/engineWorker.js) and the summary the
// CodeLens and Prompts view show. Listing is asynchronous, as findFiles is on the host.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promptMatcher } from '../../src/core/registry/promptMatch';
import { DEFAULT_PROMPT_GLOBS } from '../../src/core/registry/promptFiles';
import { readPromptText, type PromptFilePort } from '../../src/core/registry/promptText';
import { RegistryCore } from '../../src/core/registry/registryCore';
import { DEFAULT_MAX_FILE_BYTES, SETTING_LIMIT_HINT } from '../../src/core/registry/sizeLimit';
import { createModelTable } from '../../src/core/models/table';
import { EngineClient, SupersededError } from '../../src/node/engineClient';
import { summarize } from '../../src/host/prompts/summary';
import type { BenchOptions } from './index';

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The engine worker as shipped: scripts/bench.mjs builds dist/ before the benches run. */
export function workerPath(): string {
  const outfile = join(__dirname, '..', '..', 'dist', 'engineWorker.js');
  if (!existsSync(outfile)) throw new Error(`${outfile} is missing: run the benches through npm run bench, which builds first`);
  return outfile;
}

/** Prompts with front matter, a tools file and context documents; the rest code and prose. */
function workspace(prompts: number, others: number): string {
  const root = mkdtempSync(join(tmpdir(), 'pcl-bench-registry-'));
  writeFileSync(join(root, 'package.json'), '{}');
  mkdirSync(join(root, 'docs'));
  mkdirSync(join(root, 'tools'));
  for (let d = 0; d < 20; d++) writeFileSync(join(root, 'docs', `doc${d}.md`), `# Document ${d}\n\n${'Policy text about refunds, shipping and returns. '.repeat(60)}\n`);
  writeFileSync(join(root, 'tools', 'support.json'), JSON.stringify([{ name: 'lookup_order', description: 'Find an order', input_schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }]));
  for (let i = 0; i < prompts; i++) {
    const dir = join(root, 'prompts', `team${i % 25}`);
    mkdirSync(dir, { recursive: true });
    const body = `You are assistant ${i}. ${'Answer precisely, cite the documents, and keep a friendly tone. '.repeat(40)}`;
    writeFileSync(join(dir, `p${i}.prompt.md`), `---\nid: p${i}\nmodel: claude-sonnet-5\nttl: 1h\ntools: ../../tools/support.json\ncontext:\n  files: [../../docs/doc${i % 20}.md, ../../docs/doc${(i + 1) % 20}.md]\n---\n${body}\n`);
  }
  for (let i = 0; i < others; i++) {
    const dir = join(root, i % 4 === 0 ? 'docs/notes' : i % 4 === 1 ? 'node_modules/pkg' : `src/mod${i % 40}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.${i % 4 === 0 ? 'md' : 'ts'}`), `export const value${i} = ${i};\n`);
  }
  return root;
}

async function listAsync(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(relative(root, p).split('\\').join('/'));
    }
  };
  await walk(root);
  return out;
}

const nodePort: PromptFilePort<string> = {
  stat: async (p) => {
    const s = await stat(p);
    return { size: s.size, directory: s.isDirectory() };
  },
  read: (p) => readFile(p),
};

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  const n = opts.smoke ? { prompts: 20, others: 80 } : { prompts: 500, others: 2000 };
  const root = workspace(n.prompts, n.others);
  const client = new EngineClient(workerPath());
  const models = createModelTable();
  const limit = { maxBytes: DEFAULT_MAX_FILE_BYTES, raise: SETTING_LIMIT_HINT };
  let summaries = 0;
  const registry: RegistryCore<string> = new RegistryCore<string>({
    plan: (r) => client.plan(r),
    planMany: (rs) => client.planMany(rs),
    input: (path, text) => ({ path, text, root, modelOverrides: {}, defaultModel: 'claude-sonnet-5', historyByPrompt: {}, maxFileBytes: limit.maxBytes }),
    text: (path) => readPromptText(nodePort, path, relative(root, path), limit),
    relativePath: (path) => relative(root, path).split('\\').join('/'),
    warn: (m) => process.stderr.write(`registry.scan: ${m}\n`),
    debounceMs: () => 250,
    superseded: (err) => err instanceof SupersededError,
    // What the CodeLens and the Prompts view do with each batch: summarise the changed prompts.
    publish: (change) => {
      for (const uri of change.changed) {
        const p = registry.get(uri);
        if (p?.plan) {
          summarize(p.plan, models.tryResolve(p.plan.model), p.readError);
          summaries++;
        }
      }
    },
  });
  // Worker start-up is part of activation, not of the scan: one plan warms it.
  await client.plan({ path: join(root, 'warm.prompt.md'), text: 'warm', root, modelOverrides: {}, defaultModel: 'claude-sonnet-5' });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let lateness = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    lateness = Math.max(lateness, now - last - 1);
    last = now;
  }, 1);
  delay.enable();
  try {
    const t0 = performance.now();
    const isPrompt = promptMatcher(DEFAULT_PROMPT_GLOBS);
    const listed = await listAsync(root);
    const prompts = listed.filter(isPrompt).map((rel) => join(root, rel));
    const listedMs = performance.now() - t0;
    const listingLongest = lateness;
    lateness = 0;
    registry.replaceAll(prompts);
    const registeredMs = performance.now() - t0;
    await registry.whenIdle();
    const plannedMs = performance.now() - t0;
    delay.disable();
    clearInterval(tick);
    const planned = registry.all().filter((p) => p.plan && !p.plan.error).length;
    if (planned !== n.prompts) throw new Error(`registry.scan: ${planned} of ${n.prompts} prompts planned without error`);
    const longest = Math.max(delay.max / 1e6, lateness, listingLongest);
    return [
      {
        name: 'registry.scan',
        files: listed.length,
        prompts: prompts.length,
        listed_ms: round(listedMs),
        registered_ms: round(registeredMs),
        all_planned_ms: round(plannedMs),
        planned_vs_1s_goal: round(plannedMs / 1000),
        longest_task_ms: round(longest),
        longest_while_listing_ms: round(listingLongest),
        longest_while_planning_ms: round(lateness),
        longest_task_vs_16ms_goal: round(longest / 16),
        summaries,
      },
    ];
  } finally {
    clearInterval(tick);
    delay.disable();
    registry.dispose();
    client.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}
