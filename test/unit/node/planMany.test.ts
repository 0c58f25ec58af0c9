import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_ID } from '../../../src/core/models/table';
import type { PlanRequest } from '../../../src/core/session/engineProtocol';
import { planPrompt } from '../../../src/core/session/engine';
import { planPrompts } from '../../../src/core/session/planBatch';
import { EngineClient } from '../../../src/node/engineClient';
import { nodeFiles, withFileSnapshot } from '../../../src/node/nodeFiles';

const SHIM = join(__dirname, 'engineWorkerShim.cjs');
const WORKSPACE = join(__dirname, '..', '..', 'fixtures', 'workspace');
const PROMPTS = ['.prompts/support-agent.md', 'prompts/greeting.prompt.md', 'prompts/release-notes.prompty', 'prompts/broken.prompt.md', 'prompts/code-reviewer.prompt.md'];

const request = (rel: string, over: Partial<PlanRequest> = {}): PlanRequest => ({
  path: join(WORKSPACE, rel),
  text: readFileSync(join(WORKSPACE, rel), 'utf8'),
  root: WORKSPACE,
  modelOverrides: { 'claude-sonnet-5': { read: 0.5 } },
  defaultModel: DEFAULT_MODEL_ID,
  historyByPrompt: { 'support-agent': [30, 400, 90] },
  ...over,
});

describe('engine planMany: many plans in one worker request', function () {
  this.timeout(60_000);
  let client: EngineClient | undefined;
  let tmp: string | undefined;
  afterEach(() => {
    client?.dispose();
    client = undefined;
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  it('answers each request exactly as a plan of its own would, in order, bad requests included', async () => {
    client = new EngineClient(SHIM);
    const requests = [
      ...PROMPTS.map((rel) => request(rel)),
      request('prompts/greeting.prompt.md', { path: 'relative/path.prompt.md' }),
      request('.prompts/support-agent.md', { text: '---\nid: x\ncontext:\n  files: [docs/missing.md]\n---\nbody\n' }),
      request('.prompts/support-agent.md', { modelOverrides: { 'not-a-model': { input: 'cheap' } } }),
    ];
    const many = await client.planMany(requests);
    const one: unknown[] = [];
    for (const r of requests) one.push(await client.plan(r));
    assert.deepEqual(many, one);
    assert.equal(many.length, requests.length);
    assert.equal(many[0]?.promptId, 'support-agent');
    assert.ok(many[0]?.request && many[0].coldUsd !== undefined && many[0].warmUsd !== undefined, 'a full plan with its request and costs');
    assert.match(String(many[5]?.error), /must be absolute/);
    assert.ok(many[6]?.diagnostics.some((d) => /missing\.md/.test(d.message)), JSON.stringify(many[6]?.diagnostics));
    assert.ok((many[7]?.overrideErrors.length ?? 0) > 0);
    assert.deepEqual(await client.planMany([]), []);
  });

  it('answers a request that is not an object, or a batch that is not a list, without failing the rest', async () => {
    const got = await planPrompts([request(PROMPTS[1] as string), null as unknown as PlanRequest, 7 as unknown as PlanRequest]);
    assert.equal(got.length, 3);
    assert.deepEqual(got[0], await planPrompt(request(PROMPTS[1] as string)));
    assert.match(String(got[1]?.error), /No plan: the prompt path must be absolute/);
    assert.match(String(got[2]?.error), /No plan/);
    assert.deepEqual(await planPrompts('nope' as unknown as PlanRequest[]), []);
  });

  it('plans a batch against one snapshot of the files; the next batch sees a change', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pcl-planmany-'));
    cpSync(WORKSPACE, tmp, { recursive: true });
    const doc = join(tmp, 'docs', 'faq.md');
    const files = nodeFiles(tmp);
    const before = await files.read(doc);
    await withFileSnapshot(async () => {
      assert.deepEqual(await files.read(doc), before);
      writeFileSync(doc, 'Completely different, and longer, text than the FAQ had before it was edited.\n'.repeat(50));
      assert.deepEqual(await files.read(doc), before, 'inside the batch: the snapshot taken at its first read');
    });
    assert.match(Buffer.from((await files.read(doc)) as Uint8Array).toString('utf8'), /^Completely different/, 'after it: the file as it is now');
    // A file first read after it changed, within a batch, is read as it is.
    await withFileSnapshot(async () => {
      writeFileSync(doc, 'third version\n');
      assert.equal(Buffer.from((await files.read(doc)) as Uint8Array).toString('utf8'), 'third version\n');
    });
  });
});
