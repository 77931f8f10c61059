/**
 * Runs `load` (a `require` of a module that pulls in restify) with Node's deprecation warnings muted for that
 * load only. restify's dependency http-deceiver calls `process.binding('http_parser')` twice while loading, and
 * Node prints DEP0111 for each call: noise at every start that operators cannot act on. Warnings after the load
 * print as usual.
 */
export function loadQuietly<T>(load: () => T): T {
  const muted = process.noDeprecation;
  process.noDeprecation = true;
  try {
    return load();
  } finally {
    process.noDeprecation = muted;
  }
}
