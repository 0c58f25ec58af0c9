// Hand-written bodies that broke, or could break, a JSON server: deep nesting, prototype keys,
// numbers JSON cannot hold, broken Unicode, wrong shapes in every field the cache model reads.

const SYSTEM = 'You are a careful support agent for the Acme product line. '.repeat(40);

/** A valid request touching most of what the cache model reads; the fuzzer mutates it. */
export function validBody(stream = false): Record<string, unknown> {
  return {
    model: 'claude-sonnet-5',
    max_tokens: 32,
    stream,
    system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    tools: [{ name: 'lookup', description: 'Find an order', input_schema: { type: 'object', properties: { id: { type: 'string' } } }, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Where is order 7?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { id: '7' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'shipped' }], cache_control: { type: 'ephemeral' } }] },
    ],
  };
}

const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const valid = JSON.stringify(validBody());
const withValue = (path: string, value: string) => valid.replace(`"${path}":`, `"${path}":${value},"_was":`);
const user = (content: string) => `{"model":"claude-sonnet-5","max_tokens":8,"messages":[{"role":"user","content":${content}}]}`;

export const NASTY_BODIES: Array<[string, string]> = [
  ['empty', ''],
  ['whitespace', ' \n\t '],
  ['null', 'null'],
  ['string', '"hello"'],
  ['array', '[]'],
  ['number', '1e400'],
  ['BOM', `\ufeff${valid}`],
  ['truncated', valid.slice(0, valid.length / 2)],
  ['trailing garbage', `${valid}}`],
  ['deep array at top', deepArray(100_000)],
  ['deep object at top', deepObject(100_000)],
  ['deep metadata', withValue('max_tokens', `32,"metadata":${deepObject(100_000)}`)],
  ['deep tool input', valid.replace('{"id":"7"}', `{"id":${deepArray(100_000)}}`)],
  ['deep input schema', valid.replace('"properties":', `"deep":${deepObject(50_000)},"properties":`)],
  ['proto key', user('[{"type":"text","text":"x","__proto__":{"polluted":true}}]')],
  ['proto type', user('[{"type":"__proto__","text":"x"}]')],
  ['constructor type', user('[{"type":"constructor"}]')],
  ['toString type', user('[{"type":"toString"}]')],
  ['proto role', '{"model":"claude-sonnet-5","max_tokens":8,"messages":[{"role":"__proto__","content":"x"}]}'],
  ['proto model', '{"model":"__proto__","max_tokens":8,"messages":[{"role":"user","content":"x"}]}'],
  ['hasOwnProperty model', '{"model":"hasOwnProperty","max_tokens":8,"messages":[{"role":"user","content":"x"}]}'],
  ['proto tool name', valid.replace('"name":"lookup"', '"name":"__proto__"')],
  ['infinite max_tokens', withValue('max_tokens', '1e400')],
  ['negative zero max_tokens', withValue('max_tokens', '-0')],
  ['huge max_tokens', withValue('max_tokens', '9007199254740993')],
  ['string max_tokens', withValue('max_tokens', '"32"')],
  ['lone surrogate', user('"\\ud800\\udc00\\ud800"')],
  ['NUL text', user('"a\\u0000b"')],
  ['content [null]', user('[null]')],
  ['content [[]]', user('[[]]')],
  ['content {}', user('{}')],
  ['content number', user('5')],
  ['system 5', withValue('system', '5')],
  ['system [null]', withValue('system', '[null]')],
  ['system [string]', withValue('system', '["x"]')],
  ['tools {}', withValue('tools', '{}')],
  ['tools [null]', withValue('tools', '[null]')],
  ['tools [1]', withValue('tools', '[1]')],
  ['messages {}', withValue('messages', '{}')],
  ['messages [[]]', withValue('messages', '[[]]')],
  ['cache_control pin', valid.replace('"ttl":"1h"', '"type":"pin"')],
  ['cache_control 10m', valid.replace('"ttl":"1h"', '"ttl":"10m"')],
  ['cache_control 300', valid.replace('"ttl":"1h"', '"ttl":300')],
  ['cache_control string', valid.replace('{"type":"ephemeral","ttl":"1h"}', '"ephemeral"')],
  ['cache_control {}', valid.replace('{"type":"ephemeral","ttl":"1h"}', '{}')],
  ['cache_control array', valid.replace('{"type":"ephemeral","ttl":"1h"}', '[]')],
  ['top cache_control pin', withValue('max_tokens', '8,"cache_control":{"type":"pin"}')],
  ['tool_choice tool without name', withValue('max_tokens', '8,"tool_choice":{"type":"tool"}')],
  ['thinking string', withValue('max_tokens', '8,"thinking":"on"')],
  ['image null source', user('[{"type":"image","source":null}]')],
  ['image bad base64', user('[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%%"}}]')],
  ['image wrong type', user('[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"/9j/4AAQSkZJRgABAQ=="}}]')],
  ['document no source', user('[{"type":"document"}]')],
  ['tool_result content [null]', user('[{"type":"tool_result","tool_use_id":"t","content":[null]}]')],
  ['tool_use in user turn', user('[{"type":"tool_use","id":"t","name":"n","input":{}}]')],
  ['thinking with cache_control', '{"model":"claude-sonnet-5","max_tokens":8,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s","cache_control":{"type":"ephemeral"}}]}]}'],
  ['system role on sonnet', '{"model":"claude-sonnet-5","max_tokens":8,"messages":[{"role":"user","content":"q"},{"role":"system","content":"be brief"}]}'],
  ['many messages', `{"model":"claude-sonnet-5","max_tokens":8,"messages":[${Array(100_001).fill('{"role":"user","content":"x"}').join(',')}]}`],
  ['many empty keys', `{"model":"claude-sonnet-5","max_tokens":8,"messages":[{"role":"user","content":"x"}],"metadata":{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":""`).join(',')}}}`],
  ['long tool name', valid.replace('"name":"lookup"', `"name":"${'a'.repeat(100_000)}"`)],
];
