import nock from 'nock';
import {afterEach} from 'vitest';
import {removeTempDirs} from './tempHome.js';

// nock's socket interceptor calls Promise.withResolvers (Node 22+) on every connect, a Unix
// socket's included (the event log lock probes its holder so): give Node 20 the same function.
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: <T>() => {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return {promise, resolve, reject};
    },
  });
}

// Unit tests never reach the network; a test that wants HTTP faults enables hosts explicitly.
nock.disableNetConnect();
nock.enableNetConnect('127.0.0.1');

// The unit project's files share one module graph, so tempHome.ts registers its own afterEach
// only in the first file that imports it; this setup file runs before every file.
afterEach(removeTempDirs);
