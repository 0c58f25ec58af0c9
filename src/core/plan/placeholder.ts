// Its own module so the extension host can name it without loading the planning pipeline.
/**
 * The conversation a plan composes: one user turn standing in for whatever the user will send.
 * It gets the conversation breakpoint like any last user turn; the warm send repeats it exactly.
 */
export const PLACEHOLDER_USER_TURN = '(placeholder user message)';
