// Many prompt plans in one worker request (the registry's scan of a workspace): one message each
// way instead of one round trip per prompt, and one snapshot of the tools and context files'
// stamps for the whole batch, so prompts sharing them do not each wait for an lstat per file.
import { withFileSnapshot } from '../../node/nodeFiles';
import { planPrompt } from './engine';
import type { PlanRequest, PlanViewResult } from './engineProtocol';

/**
 * The plan of each request, in order, exactly as planPrompt answers it one by one. The plans run
 * concurrently: they share no state but memos, and their file reads overlap. Never rejects; a
 * request that is not an object gets a failure view like any bad request.
 */
export async function planPrompts(requests: PlanRequest[]): Promise<PlanViewResult[]> {
  const list: unknown[] = Array.isArray(requests) ? requests : [];
  return withFileSnapshot(() => Promise.all(list.map((r) => planPrompt((r && typeof r === 'object' ? r : {}) as PlanRequest))));
}
