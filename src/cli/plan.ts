import { CliError, type CliCommand } from './io';

// Placeholder until the plan command lands; replaced by its owner.
export const planCommand: CliCommand = async () => {
  throw new CliError('plan: not available in this build');
};
