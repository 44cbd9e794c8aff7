import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

/** One stored event as a test sees it (the raw line, parsed). */
export interface LoggedEvent {
  seq: number;
  id: string;
  type: string;
  v: number;
  at: string;
  actor: string;
  data: Record<string, unknown>;
  causation?: string;
}

/** Every event in `<home>/.spor/events.jsonl`, in order ([] when there is no log). */
export const readLog = (home: string): Array<LoggedEvent> => {
  const file = join(home, '.spor', 'events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LoggedEvent);
};
