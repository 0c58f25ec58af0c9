// Who answers which tool call of an agent turn: the built-in workspace tools, the mock-results
// file, or (in the extension, without such a file) the user.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ToolCall } from '../../../src/core/ports';
import { agentToolsFor } from '../../../src/node/agentTools';

const WS = resolve(__dirname, '../../fixtures/workspace');
const PROMPT = join(WS, '.prompts/support-agent.md');

describe('node/agentTools', () => {
  const asked: ToolCall[] = [];
  const ask = async (call: ToolCall) => {
    asked.push(call);
    return { content: 'shipped yesterday', isError: false };
  };

  it('asks the user for the prompt\'s own tools when no mock-results file is named; built-in tools still run', async () => {
    asked.length = 0;
    const tools = await agentToolsFor({ promptPath: PROMPT, promptText: readFileSync(PROMPT, 'utf8'), root: WS, ask });
    const own = await tools.run({ id: 't1', name: 'lookup_order', input: { order_id: 'AO-1' } });
    assert.deepEqual(own, { content: 'shipped yesterday', isError: false });
    assert.deepEqual(asked.map((c) => c.name), ['lookup_order']);
    const builtin = await tools.run({ id: 't2', name: 'read_file', input: { path: 'docs/faq.md' } });
    assert.equal(builtin.isError, false);
    assert.equal(asked.length, 1, 'a built-in tool is never asked for');
  });

  it('a mock-results file wins over asking', async () => {
    asked.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'pcl-tools-'));
    const results = join(dir, 'r.json');
    writeFileSync(results, JSON.stringify({ lookup_order: 'from the file' }));
    const tools = await agentToolsFor({ promptPath: PROMPT, promptText: readFileSync(PROMPT, 'utf8'), root: WS, toolResults: results, ask });
    assert.equal((await tools.run({ id: 't3', name: 'lookup_order', input: {} })).content, 'from the file');
    assert.equal(asked.length, 0);
  });

  it('without either, the prompt\'s own tool is an error result saying so', async () => {
    const tools = await agentToolsFor({ promptPath: PROMPT, promptText: readFileSync(PROMPT, 'utf8'), root: WS });
    const r = await tools.run({ id: 't4', name: 'lookup_order', input: {} });
    assert.equal(r.isError, true);
  });
});
