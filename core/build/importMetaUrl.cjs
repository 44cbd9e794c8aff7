// Stands in for import.meta.url in the CommonJS bundle.
export const __sporImportMetaUrl = require('node:url').pathToFileURL(__filename).href;
