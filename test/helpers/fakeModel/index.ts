// A scripted fake model for driving the real agent CLIs offline (test/harness/README.md).
export {startFakeModel, type FakeModel, type FakeModelOptions} from './server.js';
export {FINAL, type Intent, type Script, type Step} from './script.js';
export {addFilePatch} from './patch.js';
export type {LoggedRequest, Reply} from './requestLog.js';
export type {ToolResult} from './toolResult.js';
