import {inject, injectable} from '../../core/di.js';
import type {Host} from '../../core/host.js';
import {HOST} from '../../core/tokens.js';
import {isSetupApproved} from './decide.js';
import type {SetupApprovals} from './tokens.js';

/** Answers from the `setupApprovals` slice; see SetupApprovals. */
@injectable()
export class SetupApprovalsService implements SetupApprovals {
  constructor(@inject(HOST) private readonly host: Host) {}

  async isApproved(repo: string, sha256: string): Promise<boolean> {
    const {setupApprovals} = await this.host.read(['setupApprovals']);
    return isSetupApproved({repo, sha256}, setupApprovals);
  }
}
