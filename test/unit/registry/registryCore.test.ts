import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readPromptText, type PromptFilePort } from '../../../src/core/registry/promptText';
import { PLAN_BATCH, RegistryCore, type RegistryChangeOf } from '../../../src/core/registry/registryCore';
import type { PlanRequest, PlanViewResult } from '../../../src/core/session/engineProtocol';
import { planPrompt } from '../../../src/core/session/engine';
import { planPrompts } from '../../../src/core/session/planBatch';
import { EngineClient, SupersededError } from '../../../src/node/engineClient';

const port: PromptFilePort<string> = {
  stat: async (p) => {
    const s = await stat(p);
    return { size: s.size, directory: s.isDirectory() };
  },
  read: (p) => readFile(p),
};

/** Prompts sharing a tools file and documents, one too large to read, one with a broken front matter. */
function workspace(n: number): { root: string; paths: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'pcl-registry-'));
  mkdirSync(join(root, 'docs'));
  mkdirSync(join(root, 'prompts'));
  for (let d = 0; d < 3; d++) writeFileSync(join(root, 'docs', `d${d}.md`), `# Doc ${d}\n${'Refunds, shipping and returns. '.repeat(200)}\n`);
  writeFileSync(join(root, 'tools.json'), JSON.stringify([{ name: 'lookup', description: 'Find', input_schema: { type: 'object', properties: {} } }]));
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = join(root, 'prompts', `p${i}.prompt.md`);
    const text =
      i === 3
        ? `---\nid: [broken\n---\nbody\n`
        : `---\nid: p${i}\nttl: 1h\ntools: ../tools.json\ncontext:\n  files: [../docs/d${i % 3}.md]\n---\nYou are assistant ${i}. ${'Be precise. '.repeat(300)}\n`;
    writeFileSync(p, i === 5 ? 'x'.repeat(5000) : text);
    paths.push(p);
  }
  return { root, paths };
}

function registryOver(root: string, deps: { plan: (r: PlanRequest) => Promise<PlanViewResult>; planMany?: (rs: PlanRequest[]) => Promise<PlanViewResult[]> }) {
  const changes: Array<RegistryChangeOf<string>> = [];
  const warnings: string[] = [];
  const registry = new RegistryCore<string>({
    ...deps,
    input: (path, text) => ({ path, text, root, modelOverrides: {}, defaultModel: 'claude-sonnet-5', historyByPrompt: {} }),
    text: (path) => readPromptText(port, path, relative(root, path), { maxBytes: 4096, raise: 'the limit' }),
    relativePath: (path) => relative(root, path),
    warn: (m) => warnings.push(m),
    debounceMs: () => 0,
    superseded: (err) => err instanceof SupersededError,
    publish: (c) => changes.push(c),
  });
  return { registry, changes, warnings };
}

describe('registry/RegistryCore planning in batches', function () {
  this.timeout(60_000);
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  it('gives every prompt of a scan the plan it gets alone, in a few planMany requests', async () => {
    const ws = workspace(PLAN_BATCH + 20);
    root = ws.root;
    const batches: number[] = [];
    const batched = registryOver(ws.root, { plan: planPrompt, planMany: (rs) => (batches.push(rs.length), planPrompts(rs)) });
    const single = registryOver(ws.root, { plan: (r) => planPrompt(r) });
    for (const r of [batched, single]) {
      r.registry.replaceAll(ws.paths);
      await r.registry.whenIdle();
    }
    // The file too large to read (in the first batch) is never sent to the worker.
    assert.deepEqual(batches, [PLAN_BATCH - 1, 20]);
    assert.equal(batched.registry.size, ws.paths.length);
    for (const path of ws.paths) {
      const a = batched.registry.get(path);
      const b = single.registry.get(path);
      assert.deepEqual(a, b, path);
    }
    const good = batched.registry.get(ws.paths[0] as string);
    assert.ok(good?.plan?.request && good.plan.coldUsd !== undefined, 'planned with its request and costs');
    assert.deepEqual(good?.idSpan, { line: 2, column: 5, endColumn: 7 });
    assert.match(String(batched.registry.get(ws.paths[3] as string)?.plan?.error), /front matter/);
    assert.equal(batched.registry.get(ws.paths[5] as string)?.readErrorCode, 'file-too-large');
    assert.equal(batched.registry.get(ws.paths[5] as string)?.plan, undefined);
    assert.deepEqual(batched.warnings, []);
    batched.registry.dispose();
    single.registry.dispose();
  });

  it('does not bring back a prompt removed while its batch was planned', async () => {
    const ws = workspace(8);
    root = ws.root;
    const r = registryOver(ws.root, {
      plan: planPrompt,
      planMany: async (rs) => {
        r.registry.remove(ws.paths[1] as string);
        return planPrompts(rs);
      },
    });
    r.registry.replaceAll(ws.paths);
    await r.registry.whenIdle();
    assert.equal(r.registry.has(ws.paths[1] as string), false);
    assert.equal(r.registry.size, 7);
    assert.ok(r.registry.get(ws.paths[0] as string)?.plan);
    r.registry.dispose();
  });

  it('marks every prompt of a batch the worker could not plan, with one warning', async () => {
    const ws = workspace(6);
    root = ws.root;
    const client = new EngineClient(join(__dirname, '..', 'node', 'engineWorkerShim.cjs'));
    client.dispose();
    const r = registryOver(ws.root, { plan: (q) => client.plan(q), planMany: (rs) => client.planMany(rs) });
    r.registry.replaceAll(ws.paths);
    await r.registry.whenIdle();
    const failed = r.registry.all().filter((p) => p.readErrorCode === 'plan-failed');
    assert.equal(failed.length, 5, 'all but the file too large to read');
    for (const p of failed) assert.equal(p.readError, 'Cache plan failed: token counter disposed');
    assert.equal(r.warnings.length, 1, r.warnings.join("\n"));
    assert.match(r.warnings[0] as string, /planning 5 prompts .* failed: token counter disposed/);
    r.registry.dispose();
  });
});
