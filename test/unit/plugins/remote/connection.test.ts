import {statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {retryAfterMs} from '../../../../plugins/remote/client.js';
import {connectionOf} from '../../../../plugins/remote/connection.js';
import {credentialsFile, removeCredentials, writeCredentials} from '../../../../plugins/remote/credentials.js';
import {requireAgentId} from '../../../../plugins/remote/api.js';
import {tempDir} from '../../../helpers/tempHome.js';

const saved = (home: string, server = 'http://team.example:7420') =>
  writeCredentials(home, {server, token: 'spor_pat_saved', saved_at: '2026-01-01T00:00:00Z'});

describe('remote mode: which server, which token', () => {
  it('is local without SPOR_SERVER and without saved credentials, even with a stray SPOR_TOKEN', () => {
    expect(connectionOf({}, tempDir())).toBeUndefined();
    expect(connectionOf({SPOR_TOKEN: 'spor_pat_x'}, tempDir())).toBeUndefined();
  });

  it('takes the environment over the saved file, and the saved token only for the saved server', () => {
    const home = tempDir();
    saved(home);
    expect(connectionOf({}, home)).toEqual({
      server: 'http://team.example:7420',
      token: 'spor_pat_saved',
      source: 'credentials',
    });
    expect(connectionOf({SPOR_TOKEN: 'spor_pat_env'}, home)).toMatchObject({token: 'spor_pat_env', source: 'env'});
    expect(connectionOf({SPOR_SERVER: 'http://team.example:7420/'}, home)).toMatchObject({token: 'spor_pat_saved'});
    expect(() => connectionOf({SPOR_SERVER: 'http://other:1'}, home)).toThrow(/no token for it/);
    expect(connectionOf({SUBSTRATE_SERVER: 'http://legacy:2', SUBSTRATE_TOKEN: 'sub_pat_x'}, tempDir())).toMatchObject({
      server: 'http://legacy:2',
    });
  });

  it('refuses a server that is not an http(s) URL, or carries credentials', () => {
    expect(() => connectionOf({SPOR_SERVER: 'team.example', SPOR_TOKEN: 't'}, tempDir())).toThrow(/is not a URL/);
    expect(() => connectionOf({SPOR_SERVER: 'ftp://x', SPOR_TOKEN: 't'}, tempDir())).toThrow(/not an http\(s\)/);
    expect(() => connectionOf({SPOR_SERVER: 'http://u:p@x', SPOR_TOKEN: 't'}, tempDir())).toThrow(/not an http\(s\)/);
  });

  it('keeps the credentials 0600 and refuses a file it did not write', () => {
    const home = join(tempDir(), 'spor');
    saved(home);
    expect(statSync(credentialsFile(home)).mode & 0o777).toBe(0o600);
    expect(removeCredentials(home)).toBe(true);
    expect(removeCredentials(home)).toBe(false);
  });
});

describe('Retry-After and agent ids', () => {
  it('reads delay-seconds and HTTP-dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('wants the agent- prefix, and guesses it', () => {
    expect(requireAgentId('agent-ci-bot', '--as')).toBe('agent-ci-bot');
    expect(() => requireAgentId('CI Bot', '--as')).toThrow(
      "--as 'CI Bot' is not an agent id; did you mean agent-ci-bot?",
    );
  });
});
