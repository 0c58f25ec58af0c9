// Microsoft .prompty files: YAML front matter in Prompty's schema, and a body split into
// `system:` / `user:` / `assistant:` sections. The `system:` section is the system prompt.
import { isMap, isScalar } from 'yaml';
import { asMap, entries, readNumber, readString, readStrings, report, unknownKey, valueLine, type Ctx, type Entry } from './fields';
import { readSampling, type Draft } from './schema';
import type { Diagnostic } from './types';

/** Prompty keys that describe the template for other runtimes; accepted, not used. */
export const PROMPTY_KEYS = ['name', 'description', 'authors', 'version', 'tags', 'model', 'sample', 'inputs', 'outputs', 'template', 'base'] as const;
/** Our own keys, also allowed in a .prompty file. */
export const PROMPTY_EXTENSION_KEYS = ['id', 'ttl', 'tools', 'context'] as const;
/** Prompty keys this tool reads itself (the template engine and its example inputs). */
export const PROMPTY_READ_KEYS = ['template', 'sample', 'inputs'] as const;

const PARAMS: Record<string, (e: Entry, ctx: Ctx, d: Draft) => void> = {
  max_tokens: (e, ctx, d) => (d.max_tokens = readNumber(e, ctx, { min: 1, integer: true })),
  temperature: (e, ctx, d) => (d.temperature = readSampling(e, ctx, { min: 0, max: 1 })),
  top_p: (e, ctx, d) => (d.top_p = readSampling(e, ctx, { min: 0, max: 1 })),
  top_k: (e, ctx, d) => (d.top_k = readSampling(e, ctx, { min: 0, integer: true })),
  stop: (e, ctx, d) => (d.stop_sequences = readStrings(e, ctx)?.values),
};

/** `model:` is a mapping {api, configuration, parameters}; a plain string is taken as the model id. */
export function readPromptyModel(e: Entry, ctx: Ctx, d: Draft): void {
  d.keyLines.model = e.keyLine;
  if (isScalar(e.value)) {
    d.model = readString(e, ctx);
    if (d.model !== undefined) d.spans.model = valueLine(e, ctx);
    return;
  }
  const map = asMap(e, ctx, 'api, configuration, parameters');
  if (!map) return;
  for (const sub of entries(map, ctx, 'model', e.keyLine)) {
    if (sub.key === 'configuration') readConfiguration(sub, ctx, d);
    else if (sub.key === 'parameters') readParameters(sub, ctx, d);
    else if (sub.key !== 'api' && sub.key !== 'response') unknownKey(sub, ctx, ['api', 'configuration', 'parameters', 'response']);
  }
}

function readConfiguration(e: Entry, ctx: Ctx, d: Draft): void {
  if (!isMap(e.value)) return void asMap(e, ctx, 'type, model or name');
  // Prompty names the model `name` (openai) or `azure_deployment` (azure_openai); accept `model` too.
  const subs = entries(e.value, ctx, 'model.configuration', e.keyLine);
  const named = subs.find((s) => s.key === 'model') ?? subs.find((s) => s.key === 'name') ?? subs.find((s) => s.key === 'azure_deployment');
  if (!named) return;
  const id = readString(named, ctx);
  if (!id) return;
  if (!id.toLowerCase().startsWith('claude')) {
    report(ctx, named, 'warning', `'${named.path}' is '${id}', not a Claude model; the default model is used instead.`, true, 'not-claude-model');
    return;
  }
  d.model = id;
  d.keyLines.model = named.keyLine;
  d.spans.model = valueLine(named, ctx);
}

function readParameters(e: Entry, ctx: Ctx, d: Draft): void {
  if (!isMap(e.value)) return void asMap(e, ctx, 'max_tokens, temperature, top_p, stop');
  for (const sub of entries(e.value, ctx, 'model.parameters', e.keyLine)) {
    const r = PARAMS[sub.key];
    if (r) r(sub, ctx, d);
    else report(ctx, sub, 'warning', `'${sub.path}' has no equivalent in Anthropic's Messages API and is ignored.`, false, 'unsupported-param');
  }
}

export interface PromptySections {
  system?: { text: string; startLine: number };
  diagnostics: Diagnostic[];
}

const ROLE = /^\s*(system|user|assistant)\s*:\s*$/i;

/** Finds the `system:` section; role markers are lines holding only `system:`, `user:` or `assistant:`. */
export function promptySystem(body: string, bodyStartLine: number): PromptySections {
  const lines = body.split('\n');
  const markers = lines.flatMap((l, i) => {
    const m = ROLE.exec(l);
    return m ? [{ role: (m[1] as string).toLowerCase(), index: i }] : [];
  });
  const diagnostics: Diagnostic[] = [];
  if (markers.length === 0) {
    diagnostics.push({ severity: 'info', code: 'prompty-no-sections', message: "No 'system:' section: the whole body is used as the system prompt.", line: bodyStartLine });
    return { system: { text: body, startLine: bodyStartLine }, diagnostics };
  }
  const sys = markers.findIndex((m) => m.role === 'system');
  for (const m of markers) {
    if (m.role !== 'system') diagnostics.push({ severity: 'info', code: 'prompty-section-ignored', message: `The '${m.role}:' section is not part of the cached system prompt; it is ignored here.`, line: bodyStartLine + m.index });
  }
  if (sys < 0) {
    diagnostics.push({ severity: 'error', code: 'prompty-no-system', message: "No 'system:' section: add a line 'system:' followed by the system prompt.", line: bodyStartLine });
    return { diagnostics };
  }
  const from = (markers[sys] as { index: number }).index + 1;
  const to = markers[sys + 1]?.index ?? lines.length;
  return { system: { text: lines.slice(from, to).join('\n'), startLine: bodyStartLine + from }, diagnostics };
}
