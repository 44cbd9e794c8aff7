// What spor prints for a person never carries a terminal control sequence it was given (an
// imported title with an OSC title change or a clear-screen, a value with a newline): control
// characters are shown escaped, as JSON would write them. `--json` output is never passed here.
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const escape = (c: string): string => {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
};

/** `text` with every control character escaped: for a value shown within one line. */
export const printable = (text: string): string => text.replace(ANY_CONTROL, escape);

/** `text` with control characters escaped except newline and tab: for lines spor lays out itself. */
export const printableLines = (text: string): string => text.replace(CONTROL_BUT_LAYOUT, escape);
