import {readFileSync} from 'node:fs';
import {Command, Option} from 'clipanion';
import {SporCommand, UsageError, RefusalError, CLOCK, PATHS} from '../../../core/index.js';
import {serverUrl} from '../connection.js';
import {credentialsFile, writeCredentials} from '../credentials.js';
import {REMOTE, RemoteError, type MeBody} from '../api.js';

export class LoginCommand extends SporCommand {
  static override paths = [['login']];
  static override usage = Command.Usage({
    description: 'use a team server from this machine: checks the token, then saves it (0600, outside the event log)',
    details: `
      The token is checked with \`GET /v1/me\` first; nothing is saved when the server refuses it or cannot be reached. It is kept in \`$SPOR_HOME/credentials.json\` (readable by you only), never in the event log, and never printed. Give \`-\` as the token to read it from stdin (so it stays out of your shell history and the process list). \`SPOR_SERVER\` and \`SPOR_TOKEN\` in the environment override what is saved; \`spor logout\` forgets it.
    `,
    examples: [
      ['Log in', '$0 login http://127.0.0.1:7420 spor_pat_…'],
      ['The token from stdin', 'pass show spor | $0 login https://spor.example.com -'],
    ],
  });
  url = Option.String({name: 'url'});
  token = Option.String({name: 'token | -'});

  async execute(): Promise<number> {
    const server = serverUrl(this.url, 'the server');
    const token = (this.token === '-' ? readFileSync(0, 'utf8') : this.token).trim();
    if (token === '' || /\s/.test(token))
      throw new UsageError('the token is empty or has spaces in it', {
        code: 'E_TOKEN',
        hint: 'give the token the server printed once (spor_pat_…), or - to read it from stdin',
      });
    const client = await this.get(REMOTE).clientFor({server, token});
    let me: MeBody;
    try {
      me = await client.request<MeBody>('GET', '/v1/me');
    } catch (e) {
      if (e instanceof RemoteError && e.status === 401)
        throw new RefusalError(`${server} does not accept this token: ${e.reason ?? 'unauthorized'}`, {
          code: 'E_LOGIN',
          hint: 'check you copied the whole token; an expired or revoked one needs a new token',
        });
      throw e;
    }
    const home = this.get(PATHS).home;
    writeCredentials(home, {server, token, person: me.person, saved_at: this.get(CLOCK).now().toISOString()});
    const who = me.agent ? `agent ${me.agent} for ${me.name} (${me.person})` : `${me.name} (${me.person})`;
    this.out(`logged in to ${server} as ${who}; saved in ${credentialsFile(home)}`);
    if (!me.bound)
      this.note('warning: this token maps to no person node: your queue and routed questions will be empty');
    return 0;
  }
}
