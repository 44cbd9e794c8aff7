import {UsageError} from '../../core/index.js';

// Characters a shell would treat as syntax. The setup command never goes through a shell, so an
// unquoted one means the user expected shell behaviour (pipes, `&&`, redirects, substitution) they
// will not get: refuse rather than pass `&&` to the program as an argument.
const SHELL_SYNTAX = new Set(['|', '&', ';', '<', '>', '`', '(', ')']);

/**
 * Splits a command line into argv without a shell: words separate at unquoted white space;
 * '…' keeps everything literally; "…" keeps everything but lets \" and \\ stand for " and \;
 * outside quotes a backslash keeps the next character. Nothing is expanded ($HOME, ~, globs stay
 * as written). `origin` names the setting (and file) in error messages.
 */
export const splitCommand = (text: string, origin: string): Array<string> => {
  const words: Array<string> = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
        word += text[i + 1];
        i += 1;
      } else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '\\') {
      if (i + 1 < text.length) {
        word += text[i + 1];
        i += 1;
        inWord = true;
      }
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if (SHELL_SYNTAX.has(c) || (c === '$' && text[i + 1] === '(')) {
      throw new UsageError(
        `${origin} uses shell syntax ('${c === '$' ? '$(' : c}'), but the setup command runs without a shell`,
        {
          code: 'E_SETUP_COMMAND',
          hint: 'put the steps in an executable script and name that script (quote the character if it is meant literally)',
        },
      );
    }
    word += c;
    inWord = true;
  }
  if (quote)
    throw new UsageError(`${origin} has an unterminated ${quote === '"' ? 'double' : 'single'} quote`, {
      code: 'E_SETUP_COMMAND',
      hint: 'close the quote',
    });
  if (inWord) words.push(word);
  return words;
};

// A word as a user would type it back: bare when nothing in it needs quoting.
const shownWord = (w: string): string => (w !== '' && /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** argv as one line that splitCommand reads back to the same argv. */
export const commandLine = (argv: ReadonlyArray<string>): string => argv.map(shownWord).join(' ');
