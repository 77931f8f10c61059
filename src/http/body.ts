import * as restify from 'restify';

/** Largest request body accepted: room for a paste at the recognizer's limit, sent as text and as HTML. */
export const maxBodyBytes = 8 * 1024 * 1024;

/**
 * The JSON body parser, mounted per route (not server-wide) so that routes which must see the raw bytes,
 * such as signed runner results, keep them. `CloudAdapter` needs the parsed body. Only JSON is parsed: restify's
 * `bodyParser` would also take `multipart/form-data`, which bypasses `maxBodySize` and writes uploads to disk
 * before any token is checked. Any other content type is read (within the limit) and left as text.
 */
export function jsonBody(): restify.RequestHandler[] {
  return [
    restify.plugins.bodyReader({ maxBodySize: maxBodyBytes }),
    ...restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }),
  ];
}
