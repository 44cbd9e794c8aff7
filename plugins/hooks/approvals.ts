import {inject, injectable, type Host, HOST} from '../../core/index.js';
import {isSetupApproved} from './decide.js';
import type {SetupApprovals} from './api.js';

/** Answers from the `setupApprovals` slice; see SetupApprovals. */
@injectable()
export class SetupApprovalsService implements SetupApprovals {
  constructor(@inject(HOST) private readonly host: Host) {}

  async isApproved(repo: string, sha256: string): Promise<boolean> {
    const {setupApprovals} = await this.host.read(['setupApprovals']);
    return isSetupApproved({repo, sha256}, setupApprovals);
  }
}
