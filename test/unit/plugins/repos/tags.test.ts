import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {markerDetectors} from '../../../../plugins/repos/detectors.js';
import {normalizeTags} from '../../../../plugins/repos/tags.js';
import {tempDir} from '../../../helpers/tempHome.js';

describe('repo tags', () => {
  it('normalizes: trimmed, lower-cased, de-duplicated, comma lists split, sorted', () => {
    expect(normalizeTags([' Node', 'docker,NODE', '', 'k8s'])).toEqual(['docker', 'k8s', 'node']);
  });

  it('refuses a tag with spaces, slashes or a leading dash, naming it', () => {
    for (const bad of ['no way', 'a/b', '-x', 'x'.repeat(41)])
      expect(() => normalizeTags(['ok', bad])).toThrow(`invalid tag '${bad}'`);
  });

  it("detectors read the checkout's top level: each marker suggests its tag, other files nothing", () => {
    const dir = tempDir();
    for (const f of ['pyproject.toml', 'net.tf', 'README.md']) writeFileSync(join(dir, f), '');
    const found = markerDetectors.flatMap((d) => d.detect(dir) as Array<string>);
    expect(found.sort()).toEqual(['python', 'terraform']);
    expect(markerDetectors.flatMap((d) => d.detect(join(dir, 'missing')) as Array<string>)).toEqual([]);
  });
});
