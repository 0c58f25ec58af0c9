// Every contributed command id in one table; package.json must list exactly these (tested).
export const CommandId = {
  openPanel: 'promptCacheLab.openPanel',
  setApiKey: 'promptCacheLab.setApiKey',
  clearApiKey: 'promptCacheLab.clearApiKey',
  countTokens: 'promptCacheLab.countTokens',
  showPlan: 'promptCacheLab.showPlan',
  prewarm: 'promptCacheLab.prewarm',
  send: 'promptCacheLab.send',
  runAgent: 'promptCacheLab.runAgent',
  resendLast: 'promptCacheLab.resendLast',
  newConversation: 'promptCacheLab.newConversation',
  newSession: 'promptCacheLab.newSession',
  clearResponseCache: 'promptCacheLab.clearResponseCache',
  clearCaches: 'promptCacheLab.clearCaches',
  bustCache: 'promptCacheLab.bustCache',
  exportStats: 'promptCacheLab.exportStats',
  showCostAnalysis: 'promptCacheLab.showCostAnalysis',
  resetAllStats: 'promptCacheLab.resetAllStats',
  showLog: 'promptCacheLab.showLog',
  reloadPrompts: 'promptCacheLab.reloadPrompts',
  newPromptFile: 'promptCacheLab.newPromptFile',
  selectDefaultPrompt: 'promptCacheLab.selectDefaultPrompt',
  openPromptFile: 'promptCacheLab.openPromptFile',
  copyAsCurl: 'promptCacheLab.copyAsCurl',
  copyAsSdk: 'promptCacheLab.copyAsSdk',
} as const;

export type CommandIdValue = (typeof CommandId)[keyof typeof CommandId];
