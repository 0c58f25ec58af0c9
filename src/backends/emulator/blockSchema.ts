// Content blocks of the Messages API (SDK 1.14 param types, spec §1.3) and where each may appear.
// Blocks of server tools the emulator does not run are checked for their tag and cache_control
// only: it must accept a conversation replayed from the API.
import { base64ImageRule, IMAGE_MEDIA_TYPES, imageUrlRule } from './images';
import { anything, bool, isRecord, list, nullable, obj, oneOf, pick, refine, required, str, tagged, textOr, type Check } from './schema';

/** §1.1: `{type: 'ephemeral', ttl?: '5m' | '1h'}` and nothing else. */
export const cacheControl: Check = nullable(obj({ type: required(oneOf('ephemeral')), ttl: oneOf('5m', '1h') }, { forbidExtra: true }));

const dict: Check = (v, path) => (isRecord(v) ? null : `${path}: Input should be a valid dictionary`);
const nonEmpty = str({ min: 1 });

export const textBlock: Check = obj({ type: required(oneOf('text')), text: required(str()), citations: nullable(list(dict)), cache_control: cacheControl });

const imageSource = tagged({
  base64: refine(obj({ type: anything, media_type: required(oneOf(...IMAGE_MEDIA_TYPES)), data: required(nonEmpty) }, { forbidExtra: true }), base64ImageRule),
  url: refine(obj({ type: anything, url: required(str()) }, { forbidExtra: true }), imageUrlRule),
  file: obj({ type: anything, file_id: required(nonEmpty) }, { forbidExtra: true }),
});

const imageBlock = obj({ type: anything, source: required(imageSource), cache_control: cacheControl });

const documentSource = tagged({
  base64: obj({ type: anything, media_type: required(oneOf('application/pdf')), data: required(nonEmpty) }),
  text: obj({ type: anything, media_type: required(oneOf('text/plain')), data: required(str()) }),
  content: obj({ type: anything, content: required(textOr(list(tagged({ text: textBlock, image: imageBlock })))) }),
  url: obj({ type: anything, url: required(nonEmpty) }),
  file: obj({ type: anything, file_id: required(nonEmpty) }),
});

const documentBlock = obj({ type: anything, source: required(documentSource), title: nullable(str()), context: nullable(str()), citations: nullable(dict), cache_control: cacheControl });

const searchResultBlock = obj({ type: anything, source: required(str()), title: required(str()), content: required(list(textBlock)), cache_control: cacheControl });

const toolReferenceBlock = obj({ type: anything, cache_control: cacheControl });

const toolResultBlock = obj({
  type: anything,
  tool_use_id: required(nonEmpty),
  content: textOr(list(tagged({ text: textBlock, image: imageBlock, document: documentBlock, search_result: searchResultBlock, tool_reference: toolReferenceBlock }))),
  is_error: bool,
  cache_control: cacheControl,
});

const toolUseBlock = obj({ type: anything, id: required(nonEmpty), name: required(nonEmpty), input: required(dict), cache_control: cacheControl });

// cache_control on thinking blocks is refused by core/cache/validate.ts in the API's wording.
const thinkingBlock = obj({ type: anything, thinking: required(str()), signature: required(str()) });
const redactedThinkingBlock = obj({ type: anything, data: required(str()) });

const serverBlock = obj({ type: anything, cache_control: cacheControl });

const SERVER_RESULTS = [
  'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result', 'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result', 'tool_search_tool_result',
] as const;

const ALL: Record<string, Check> = {
  text: textBlock,
  image: imageBlock,
  document: documentBlock,
  search_result: searchResultBlock,
  tool_result: toolResultBlock,
  tool_reference: toolReferenceBlock,
  container_upload: serverBlock,
  browser_state: serverBlock,
  tool_use: toolUseBlock,
  server_tool_use: toolUseBlock,
  thinking: thinkingBlock,
  redacted_thinking: redactedThinkingBlock,
  ...Object.fromEntries(SERVER_RESULTS.map((t) => [t, serverBlock])),
};

/** §1.3: images and documents in user turns; tool calls and thinking in assistant turns. */
const USER = ['text', 'image', 'document', 'search_result', 'tool_result', 'tool_reference', 'container_upload', 'browser_state'];
// `document` in an assistant turn is a 400 only from API version 2026-10-21 (spec §7.4; checks.ts).
const ASSISTANT = ['text', 'document', 'tool_use', 'server_tool_use', 'thinking', 'redacted_thinking', 'container_upload', ...SERVER_RESULTS];

export const contentFor: Record<'user' | 'assistant' | 'system', Check> = {
  user: textOr(list(tagged(pick(ALL, USER)))),
  assistant: textOr(list(tagged(pick(ALL, ASSISTANT)))),
  // §1.6 SystemMessageParam: system text mid-conversation.
  system: textOr(list(tagged({ text: textBlock }))),
};
