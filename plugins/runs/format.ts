import type {RunRecord} from './api.js';
import type {RunCommit} from './commits.js';

const ago = (iso: string, now: Date): string => {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m`
      : s < 86_400
        ? `${Math.floor(s / 3600)}h`
        : `${Math.floor(s / 86_400)}d`;
};

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A run record as `spor runs --json` prints it: snake_case field names, like every `--json` output
 * and the events (`run_id`, `session_id`, `harness_pid`, …); the node is `node`, as in
 * `dispatch --json` and `run-started`.
 */
export const runJson = (r: RunRecord): Record<string, unknown> => {
  const {runId, nodeId, ...rest} = r;
  return {
    run_id: runId,
    ...(nodeId === undefined ? {} : {node: nodeId}),
    ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [snake(k), v])),
  };
};

/** One line per run: id, state (and class), what it works on, harness, age, reason. */
export const runLines = (runs: Array<RunRecord>, now: Date): Array<string> => {
  const rows = runs.map((r) => [
    r.runId,
    r.class ? `${r.state}/${r.class}` : r.state,
    r.nodeId ?? r.name,
    r.harness,
    ago(r.startedAt, now),
    r.reason ?? '',
  ]);
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  return rows.map((row) =>
    row
      .map((cell, c) => (c < 5 ? cell.padEnd(widths[c] as number) : cell))
      .join('  ')
      .trimEnd(),
  );
};

const commitLines = (r: RunRecord, commits: Array<RunCommit> | undefined): Array<string> =>
  commits === undefined
    ? []
    : [
        `commits    ${commits.length === 0 ? 'none' : commits.length} on ${r.branch} since ${r.base?.slice(0, 12)}`,
        ...commits.map((c) => `           ${c.sha.slice(0, 12)} ${c.subject} (${c.author})`),
      ];

/** Everything about one run, one field per line (`commits`: its branch's, since its base). */
export const runDetail = (r: RunRecord, dir: string, commits?: Array<RunCommit>): Array<string> => [
  `run        ${r.runId}`,
  `state      ${r.state}${r.class ? ` (${r.class}${r.signal ? `, ${r.signal}` : ''})` : ''}`,
  ...(r.reason ? [`reason     ${r.reason}`] : []),
  `work       ${r.nodeId ?? ''}${r.nodeId && r.task ? ' — ' : ''}${r.task ?? (r.nodeId ? '' : r.name)}`,
  `harness    ${r.harness}${r.profile ? ` (profile ${r.profile})` : ''}${r.model ? ` model ${r.model}` : ''}`,
  `dir        ${r.dir}`,
  ...(r.worktree ? [`worktree   ${r.worktree} on ${r.branch ?? '?'}`] : []),
  ...commitLines(r, commits),
  ...(r.sessionId ? [`session    ${r.sessionId}`] : []),
  ...(r.supervisorPid
    ? [`pids       supervisor ${r.supervisorPid}${r.harnessPid ? `, harness ${r.harnessPid}` : ''}`]
    : []),
  `started    ${r.startedAt}`,
  ...(r.endedAt ? [`ended      ${r.endedAt}`] : []),
  `files      ${dir} (output.log, report)`,
];
