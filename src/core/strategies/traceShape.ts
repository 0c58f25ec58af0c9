// The shape a trace request must have before the simulator walks it: every block an object with
// the fields its type needs. A trace is user input; `content: [null]` must be a line-numbered
// error, not "Cannot read properties of null" from deep inside the cache model.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

function need(b: Obj, field: string, type: 'string' | 'object', at: string): string | undefined {
  const v = b[field];
  const ok = type === 'string' ? typeof v === 'string' : isObj(v);
  return ok ? undefined : `${at}.${field} must be ${type === 'string' ? 'a string' : 'an object'}, got ${v === undefined ? 'nothing' : describe(v)}`;
}

/** What is wrong with one content block, or undefined. Unknown block types pass: the API may add them. */
export function blockError(b: unknown, at: string): string | undefined {
  if (!isObj(b)) return `${at} must be a content block object, got ${describe(b)}`;
  if (typeof b.type !== 'string') return `${at}.type must be a string naming the block type`;
  switch (b.type) {
    case 'text':
      return need(b, 'text', 'string', at);
    case 'image':
    case 'document':
      return b.source === undefined || b.source === null ? `${at}.source is required` : undefined;
    case 'tool_use':
      return need(b, 'id', 'string', at) ?? need(b, 'name', 'string', at);
    case 'tool_result':
      return need(b, 'tool_use_id', 'string', at) ?? toolResultContentError(b.content, `${at}.content`);
    case 'thinking':
      return need(b, 'thinking', 'string', at);
    case 'redacted_thinking':
      return need(b, 'data', 'string', at);
    default:
      return undefined;
  }
}

function toolResultContentError(content: unknown, at: string): string | undefined {
  if (content === undefined || typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return `${at} must be a string or an array of blocks, got ${describe(content)}`;
  for (const [i, b] of content.entries()) {
    const e = blockError(b, `${at}[${i}]`);
    if (e) return e;
  }
  return undefined;
}

function listError(list: unknown[], at: string, check: (v: unknown, at: string) => string | undefined): string | undefined {
  for (const [i, v] of list.entries()) {
    const e = check(v, `${at}[${i}]`);
    if (e) return e;
  }
  return undefined;
}

function toolError(t: unknown, at: string): string | undefined {
  if (!isObj(t)) return `${at} must be a tool definition object, got ${describe(t)}`;
  if (typeof t.name !== 'string' || t.name === '') return `${at}.name must be a non-empty string`;
  // Server tools (with a `type`) carry no input_schema.
  if (t.type === undefined && !isObj(t.input_schema)) return `${at}.input_schema must be an object (a JSON schema)`;
  return undefined;
}

/** The first shape problem of a request's tools, system and message contents, or undefined. */
export function requestShapeError(r: Obj): string | undefined {
  if (r.tools !== undefined && !Array.isArray(r.tools)) return `"request.tools" must be an array, got ${describe(r.tools)}`;
  const tools = r.tools ? listError(r.tools as unknown[], 'tools', toolError) : undefined;
  if (tools) return tools;
  if (Array.isArray(r.system)) {
    const e = listError(r.system, 'system', (b, at) => (isObj(b) && b.type !== 'text' ? `${at} must be a text block` : blockError(b, at)));
    if (e) return e;
  }
  const messages = r.messages as Array<{ content: unknown }>;
  for (const [i, m] of messages.entries()) {
    if (!Array.isArray(m.content)) continue;
    const e = listError(m.content, `messages[${i}].content`, blockError);
    if (e) return e;
  }
  return undefined;
}
