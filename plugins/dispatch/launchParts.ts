// The parts of a harness launch that come from settings rather than from the target: the posture,
// the user's `harness.<name>.env`/`.args`, the environment filter, and the checks that refuse a
// launch that would die at once (a flag the installed CLI lacks, a mode it refuses).
import {
  BASIC_ENV,
  filterEnv,
  parseEnvPatterns,
  UsageError,
  type FilteredEnv,
  type SettingsView,
} from '../../core/index.js';
import {POSTURES, type HarnessAdapter, type Posture} from '../runs/api.js';

export const POSTURE_KEY = 'dispatch.posture';
export const PASSTHROUGH_KEY = 'dispatch.envPassthrough';

export type PostureSource = 'flag' | 'profile' | 'setting' | 'default';

const isPosture = (v: string): v is Posture => (POSTURES as ReadonlyArray<string>).includes(v);

/** The posture in force: `--posture` > the profile's `posture` > `dispatch.posture` (default `edit`). */
export function choosePosture(
  flag: string | undefined,
  profile: {id: string; posture?: string} | undefined,
  settings: SettingsView,
  repoDir: string,
): {posture: Posture; source: PostureSource} {
  const setting = settings.get(POSTURE_KEY, {repoDir});
  const [value, source, where]: [string, PostureSource, string] =
    flag !== undefined
      ? [flag, 'flag', '--posture']
      : profile?.posture !== undefined
        ? [profile.posture, 'profile', `profile ${profile.id}`]
        : [String(setting.value), setting.source === 'default' ? 'default' : 'setting', POSTURE_KEY];
  if (!isPosture(value))
    throw new UsageError(`unknown posture '${value}' (from ${where})`, {
      code: 'E_POSTURE',
      hint: `valid postures: ${POSTURES.join(', ')}`,
    });
  return {posture: value, source};
}

/** `harness.<name>.env` and `.args` as this machine set them, read and checked. */
export function launchSettingsOf(
  settings: SettingsView,
  has: (key: string) => boolean,
  harness: string,
): {env: Record<string, string>; args: Array<string>} {
  const read = (suffix: string): {key: string; value: unknown} | undefined => {
    const key = `harness.${harness}.${suffix}`;
    if (!has(key)) return undefined;
    const raw = String(settings.get(key).value).trim();
    if (raw === '') return undefined;
    try {
      return {key, value: JSON.parse(raw) as unknown};
    } catch (e) {
      throw new UsageError(`${key} is not valid JSON (${(e as Error).message})`, {
        code: 'E_HARNESS_SETTING',
        hint: `fix it with \`spor config set ${key} '<json>'\`, or unset it`,
      });
    }
  };
  const env = read('env');
  const args = read('args');
  const envOk =
    env === undefined ||
    (typeof env.value === 'object' &&
      env.value !== null &&
      !Array.isArray(env.value) &&
      Object.entries(env.value).every(([k, v]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && typeof v === 'string'));
  if (!envOk)
    throw new UsageError(`${env?.key} must be a JSON object of variable names to string values`, {
      code: 'E_HARNESS_SETTING',
      hint: `e.g. spor config set ${env?.key} '{"ANTHROPIC_BASE_URL":"http://127.0.0.1:4000"}'`,
    });
  const argsOk = args === undefined || (Array.isArray(args.value) && args.value.every((a) => typeof a === 'string'));
  if (!argsOk)
    throw new UsageError(`${args?.key} must be a JSON array of strings`, {
      code: 'E_HARNESS_SETTING',
      hint: `e.g. spor config set ${args?.key} '["--disable","plugins"]'`,
    });
  return {
    env: (env?.value as Record<string, string> | undefined) ?? {},
    args: (args?.value as Array<string> | undefined) ?? [],
  };
}

/**
 * The harness's whole environment, and where each variable came from (`--print` shows the names
 * and sources, never the values): the user's basics (`BASIC_ENV`) and `SPOR_HOME` (an agent that
 * calls spor reaches the same store), the variables the adapter's vendor documents, the user's
 * `dispatch.envPassthrough`, then `harness.<name>.env` and what the adapter adds, which win.
 * Nothing else of the user's environment passes: not GITHUB_TOKEN, AWS_*, NPM_TOKEN, SSH_AUTH_SOCK.
 */
export function harnessEnvironment(
  userEnv: NodeJS.ProcessEnv,
  adapter: Pick<HarnessAdapter, 'name' | 'envVars'>,
  opts: {settings: SettingsView; settingEnv: Record<string, string>; adapterEnv: Record<string, string>},
): FilteredEnv {
  const passthrough = opts.settings.get(PASSTHROUGH_KEY);
  const parsed = parseEnvPatterns(String(passthrough.value));
  if (parsed.bad !== undefined)
    throw new UsageError(
      `${PASSTHROUGH_KEY} has '${parsed.bad}', which is not a variable name or a prefix ending in *`,
      {
        code: 'E_HARNESS_SETTING',
        hint: `e.g. spor config set ${PASSTHROUGH_KEY} 'MY_GATEWAY_TOKEN, MYCO_*'`,
      },
    );
  const filtered = filterEnv(userEnv, [
    {source: 'basic', patterns: [...BASIC_ENV, 'SPOR_HOME']},
    {source: adapter.name, patterns: adapter.envVars ?? []},
    {source: PASSTHROUGH_KEY, patterns: parsed.patterns},
  ]);
  for (const [k, v] of Object.entries(opts.settingEnv)) {
    filtered.env[k] = v;
    filtered.sources[k] = `harness.${adapter.name}.env`;
  }
  for (const [k, v] of Object.entries(opts.adapterEnv)) {
    filtered.env[k] = v;
    filtered.sources[k] = adapter.name;
  }
  return filtered;
}

/** The long flags of an argv (`--sandbox`, `--foo=bar` → `sandbox`, `foo`), past argv[0]. */
export const longFlags = (argv: ReadonlyArray<string>): Array<string> => [
  ...new Set(
    argv
      .slice(1)
      .filter((a) => a.startsWith('--') && a.length > 2)
      .map((a) => a.slice(2).split('=')[0] as string),
  ),
];

/** Why a launch would die at once, as a refusal dispatch makes before anything starts. */
export interface Blocked {
  code: string;
  message: string;
  hint: string;
}

/**
 * A flag of the argv that the installed harness does not list in its help, judged from the probe's
 * facts (`flags`, `version`, `path`) when they describe the binary this launch runs; nothing when
 * the probe could not read the flags or probed another binary.
 */
export function missingFlag(
  adapter: Pick<HarnessAdapter, 'name' | 'binary' | 'helpArgs'>,
  argv: ReadonlyArray<string>,
  facts: Record<string, string> | undefined,
): Blocked | undefined {
  if (!facts?.flags || facts.path !== argv[0]) return undefined;
  const listed = new Set(facts.flags.split(' '));
  const missing = longFlags(argv).filter((f) => !listed.has(f));
  if (missing.length === 0) return undefined;
  const version = facts.version ?? 'of unknown version';
  const help = [adapter.binary, ...(adapter.helpArgs ?? ['--help'])].join(' ');
  return {
    code: 'E_HARNESS_FLAG_UNSUPPORTED',
    message: `${adapter.name} ${version} (${argv[0]}) does not accept ${missing.map((f) => `--${f}`).join(', ')}: \`${help}\` does not list it`,
    hint: `upgrade ${adapter.binary} (then \`spor capabilities probe\`), or drop what adds the flag (a pass-through flag, harness.${adapter.name}.args)`,
  };
}
