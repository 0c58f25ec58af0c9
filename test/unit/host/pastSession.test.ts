// A reopened past session: turns from its records, text from the transcripts where they are.
import { strict as assert } from 'node:assert';
import { pastConversationOf } from '../../../src/host/panel/pastSession';
import type { Transcript } from '../../../src/node/transcriptStore';
import { makeRecord } from '../../support/records';

const T0 = Date.UTC(2026, 10, 3, 10, 0, 0);

describe('pastConversationOf', () => {
  const recs = [
    makeRecord({ id: 'r1', atMs: T0, sessionId: 's1', conversationId: 'c1', turn: 1 }),
    makeRecord({ id: 'r2', atMs: T0 + 60_000, sessionId: 's1', conversationId: 'c1', turn: 2 }),
    // A second conversation of the same session, whose transcript is gone (deleted or corrupt).
    makeRecord({ id: 'r3', atMs: T0 + 120_000, sessionId: 's1', conversationId: 'c2', turn: 1 }),
  ];
  const transcript: Transcript = {
    v: 1, promptPath: 'p.prompt.md', promptId: 'p', sessionId: 's1', createdAtMs: T0, updatedAtMs: T0 + 60_000,
    conversation: { id: 'c1', turns: 2, messages: [], lastMessageId: null },
    turns: [1, 2].map((n) => ({ turn: n, atMs: T0, mode: 'chat' as const, user: `question ${n}`, answer: `answer ${n}`, stop: { reason: 'end_turn', message: '' } as Transcript['turns'][number]['stop'], toolRuns: [], recordIds: [`r${n}`] })),
  };

  it('shows each turn with its text and its cost card, numbered in order, marked as past', () => {
    const c = pastConversationOf('s1', recs, [transcript]);
    assert.deepEqual(c.turns.map((t) => [t.turn, t.user, t.answer, t.requests.length]), [[1, 'question 1', 'answer 1', 1], [2, 'question 2', 'answer 2', 1], [3, '', '', 1]]);
    assert.deepEqual(c.past, { sessionId: 's1', startedMs: T0, textMissing: 1 });
    assert.equal(c.turns[2]?.textUnavailable, true);
    assert.equal(c.turns[0]?.textUnavailable, undefined);
  });

  it('without any transcript every turn keeps its card and says the text is unavailable', () => {
    const c = pastConversationOf('s1', recs, []);
    assert.equal(c.past?.textMissing, 3);
    assert.ok(c.turns.every((t) => t.textUnavailable && t.requests.length === 1));
  });
});
