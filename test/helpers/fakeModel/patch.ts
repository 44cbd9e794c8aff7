/** A codex patch that creates `path` with `content` (codex writes files through apply_patch). */
export const addFilePatch = (path: string, content: string): string => {
  const lines = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n');
  return ['*** Begin Patch', `*** Add File: ${path}`, ...lines.map((l) => `+${l}`), '*** End Patch', ''].join('\n');
};
