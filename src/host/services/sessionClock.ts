// Which session a request belongs to (core/ledger/sessions.ts decides): the current one continues
// until a gap of more than `promptCacheLab.session.idleMinutes` without requests, or New Session.
// It resumes from the ledger's latest record, so a reload inside the gap continues the session.
import { sessionFor, type SessionState } from '../../core/ledger/sessions';
import { readSettings } from '../config';

export class SessionClock {
  private state: SessionState | undefined;
  private startNext = false;

  constructor(
    private readonly resumeFrom: () => SessionState | undefined,
    /** Called when New Session was asked for (views show the empty session). */
    private readonly onNew: () => void = () => undefined,
  ) {}

  /** The session a request made at `nowMs` belongs to (a new one after the idle gap or New Session). */
  current(nowMs: number): string {
    const { state } = sessionFor(this.state ?? this.resumeFrom(), nowMs, { idleMinutes: readSettings()['session.idleMinutes'], startNew: this.startNext });
    this.startNext = false;
    this.state = state;
    return state.sessionId;
  }

  /** New Session: the next request starts one. */
  startNew(): void {
    this.startNext = true;
    this.onNew();
  }

  /** The session that is still current at `nowMs`, without starting one; undefined when it lapsed. */
  peek(nowMs = Date.now()): string | undefined {
    const s = this.state ?? this.resumeFrom();
    if (!s || this.startNext) return undefined;
    return nowMs - s.lastAtMs <= readSettings()['session.idleMinutes'] * 60_000 ? s.sessionId : undefined;
  }
}
