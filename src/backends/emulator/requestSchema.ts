// The body of POST /v1/messages and /v1/messages/count_tokens (SDK 1.14 `MessageCreateParams`,
// spec §7.3), as data for schema.ts. Rules that depend on the model or the API version live in
// checks.ts; this file says only what shape each field has.
import { cacheControl, contentFor, textBlock } from './blockSchema';
import { anything, at, bool, int, isRecord, list, nullable, num, obj, oneOf, required, str, tagged, textOr, type Check } from './schema';

/** Spec §7.3: "messages can hold up to 100,000 messages". */
export const MAX_MESSAGES = 100_000;
/** No spec figure; far above any real request, low enough that an absurd value is refused early. */
const MAX_TOKENS_CEILING = 100_000_000;

const ROLES = ['user', 'assistant', 'system'] as const;

const message: Check = (v, path) => {
  if (!isRecord(v)) return at(path, 'Input should be a valid dictionary');
  if (v.role === undefined) return at(`${path}.role`, 'Field required');
  if (!ROLES.includes(v.role as (typeof ROLES)[number])) return at(`${path}.role`, "Input should be 'user', 'assistant' or 'system'");
  if (v.content === undefined) return at(`${path}.content`, 'Field required');
  return contentFor[v.role as (typeof ROLES)[number]](v.content, `${path}.content`);
};

const customTool = obj({
  name: required(str({ pattern: /^[a-zA-Z0-9_-]{1,128}$/ })),
  description: str(),
  input_schema: required(obj({ type: required(oneOf('object')), properties: nullable(obj({})), required: nullable(list(str())) })),
  cache_control: cacheControl,
  strict: bool,
  type: anything,
});

// Server and built-in tools (web search, bash, MCP toolsets, ...) carry a `type` and their own
// fields; the emulator does not run them, so it checks the parts the cache model reads.
const typedTool = obj({ type: required(str({ min: 1 })), name: str(), cache_control: cacheControl });

const tool: Check = (v, path) => (isRecord(v) && v.type !== undefined && v.type !== 'custom' ? typedTool(v, path) : customTool(v, path));

const uniqueNames: Check = (v, path) => {
  const seen = new Set<string>();
  for (const t of v as Array<{ name?: unknown }>) {
    if (typeof t.name !== 'string') continue;
    if (seen.has(t.name)) return at(path, `Tool names must be unique. Duplicate: '${t.name}'`);
    seen.add(t.name);
  }
  return null;
};

const toolChoiceFields = { type: anything, disable_parallel_tool_use: bool };
const toolChoice = tagged({
  auto: obj(toolChoiceFields),
  any: obj(toolChoiceFields),
  none: obj(toolChoiceFields),
  tool: obj({ ...toolChoiceFields, name: required(str({ min: 1 })) }),
});

const thinking = tagged({
  enabled: obj({ type: anything, budget_tokens: required(int(1024, MAX_TOKENS_CEILING)) }),
  adaptive: obj({ type: anything }),
  between_tools: obj({ type: anything }),
  disabled: obj({ type: anything }),
});

const shared = {
  model: required(str({ min: 1 })),
  messages: required(list(message, { min: 1, max: MAX_MESSAGES })),
  system: textOr(list(textBlock)),
  tools: (v: unknown, path: string) => list(tool)(v, path) ?? uniqueNames(v, path),
  tool_choice: toolChoice,
  cache_control: cacheControl,
  thinking,
  output_config: obj({ effort: oneOf('low', 'medium', 'high', 'xhigh', 'max'), format: nullable(obj({})) }),
  speed: nullable(oneOf('standard', 'fast')),
  // Removed in 2026-10-21 (checks.ts refuses them there); typed as the older versions take them.
  temperature: num(0, 1),
  top_p: num(0, 1),
  top_k: int(0, MAX_TOKENS_CEILING),
};

const createOnly = {
  max_tokens: required(int(0, MAX_TOKENS_CEILING)),
  stream: bool,
  stop_sequences: list(str()),
  metadata: obj({ user_id: nullable(str()) }),
  diagnostics: nullable(obj({ previous_message_id: nullable(str()) })),
  service_tier: oneOf('auto', 'standard_only'),
  inference_geo: nullable(str()),
};

export const countTokensBody: Check = obj(shared);
export const createBody: Check = obj({ ...shared, ...createOnly });
