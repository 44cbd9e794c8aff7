// Stands in for import.meta.url in the CommonJS bundles, computed only if some module reads it:
// node:url costs a fresh process a few tenths of a millisecond.
let url;
export const __sporImportMeta = {
  get url() {
    return (url ??= require('node:url').pathToFileURL(__filename).href);
  },
};
