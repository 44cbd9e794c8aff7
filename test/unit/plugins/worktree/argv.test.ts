import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {commandLine, splitCommand} from '../../../../plugins/worktree/argv.js';

const split = (text: string): Array<string> => splitCommand(text, 'dispatch.worktreeSetup');

describe('splitCommand', () => {
  it.each([
    ['hooks/setup-node --install', ['hooks/setup-node', '--install']],
    ['  a   b\tc\n', ['a', 'b', 'c']],
    [`'two words' "and \\"quoted\\"" plain`, ['two words', 'and "quoted"', 'plain']],
    [`'it'\\''s'`, [`it's`]],
    [`a\\ b c`, ['a b', 'c']],
    [`"" ''`, ['', '']],
    [`"a\\nb" 'c\\d'`, ['a\\nb', 'c\\d']],
    [`echo $HOME ~ *.js`, ['echo', '$HOME', '~', '*.js']],
    [`x "a|b;c" 'd&&e' "$(not run)"`, ['x', 'a|b;c', 'd&&e', '$(not run)']],
    ['', []],
  ])('splits %j into %j without expanding anything', (text, argv) => {
    expect(split(text)).toEqual(argv);
  });

  it.each([
    ['npm ci && npm run build', '&'],
    ['make | tee log', '|'],
    ['setup; echo done', ';'],
    ['setup > log', '>'],
    ['echo $(whoami)', '$('],
    ['echo `whoami`', '`'],
  ])('refuses unquoted shell syntax in %j (it would not do what it says without a shell)', (text, what) => {
    expect(() => split(text)).toThrow(
      expect.objectContaining({
        message: `dispatch.worktreeSetup uses shell syntax ('${what}'), but the setup command runs without a shell`,
        exitCode: 2,
        code: 'E_SETUP_COMMAND',
      }),
    );
  });

  it('refuses an unterminated quote, naming which', () => {
    expect(() => split(`setup "half`)).toThrow('dispatch.worktreeSetup has an unterminated double quote');
    expect(() => split(`setup 'half`)).toThrow('dispatch.worktreeSetup has an unterminated single quote');
  });

  it('reads back what commandLine writes, for any argv', () => {
    fc.assert(
      fc.property(fc.array(fc.string({unit: 'binary'}), {maxLength: 6}), (argv) => {
        expect(split(commandLine(argv))).toEqual(argv);
      }),
    );
  });

  it('writes plain words bare and quotes the rest', () => {
    expect(commandLine(['hooks/setup-node', '--install', 'two words', `it's`, ''])).toBe(
      `hooks/setup-node --install 'two words' 'it'\\''s' ''`,
    );
  });
});
