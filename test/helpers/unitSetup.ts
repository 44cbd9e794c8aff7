import nock from 'nock';
import {afterEach} from 'vitest';
import {removeTempDirs} from './tempHome.js';

// Unit tests never reach the network; a test that wants HTTP faults enables hosts explicitly.
nock.disableNetConnect();
nock.enableNetConnect('127.0.0.1');

// The unit project's files share one module graph, so tempHome.ts registers its own afterEach
// only in the first file that imports it; this setup file runs before every file.
afterEach(removeTempDirs);
