/**
 * JSON bodies with a depth cap checked before parsing. No facelive request nests deeper than a
 * few levels, yet `JSON.parse` and the schema validator walk whatever they are given: a body of
 * 5.8 MB of `[[[[…` blocked the event loop for about a second per request, on a route that parses
 * before any credential is checked (issue 13). The depth is measured by a linear scan that jumps
 * from one structural character to the next (a base64 string is skipped with one `indexOf`), so a
 * refused body costs microseconds per kilobyte and an accepted one little more than it did.
 */
import type { FastifyInstance } from 'fastify';
import { FaceliveError } from '../errors/catalogue.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;

/**
 * Whether `text` (JSON, valid or not) opens more than `maxDepth` nested arrays or objects at some
 * point. Brackets inside strings do not count. Invalid JSON is left to the parser to report.
 *
 * @example
 * jsonNestsDeeperThan('{"a":[1,[2]]}', 2); // true
 * jsonNestsDeeperThan('{"a":"[[[["}', 1); // false
 */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  const structural = /["[\]{}]/g;
  let depth = 0;
  for (let match = structural.exec(text); match !== null; match = structural.exec(text)) {
    const code = text.charCodeAt(match.index);
    if (code === QUOTE) {
      // Skip the string: the next quote not escaped by an odd run of backslashes closes it.
      let end = match.index;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return false;
        let backslashes = 0;
        for (let at = end - 1; text.charCodeAt(at) === BACKSLASH; at--) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      structural.lastIndex = end + 1;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth++;
      if (depth > maxDepth) return true;
    } else {
      depth--;
    }
  }
  return false;
}

/** REQUEST_MALFORMED for a body nested deeper than `maxDepth`. */
export function tooDeep(maxDepth: number): FaceliveError {
  return new FaceliveError('REQUEST_MALFORMED', { reason: `the JSON body nests arrays and objects deeper than ${maxDepth} levels` });
}

/**
 * Replaces fastify's JSON parser on `app` (and every scope that does not bring its own) with one
 * that refuses bodies nested deeper than `maxDepth` before parsing them; bodies within the cap go
 * to fastify's own parser (prototype-poisoning protection included).
 *
 * @example
 * registerJsonBodyParser(app, config.server.maxJsonDepth);
 */
export function registerJsonBodyParser(app: FastifyInstance, maxDepth: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestsDeeperThan(text, maxDepth)) {
      done(tooDeep(maxDepth), undefined);
      return;
    }
    parse(request, text, done);
  });
}
