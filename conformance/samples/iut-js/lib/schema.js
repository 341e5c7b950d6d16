'use strict';
// Requests are checked against the JSON Schemas the suite ships under
// conformance/schemas/harness/ (spec/harness.md): a parameter set that does not fit
// is a bad_request (VDC-HARN-005). Only the keywords those schemas use are read.
const fs = require('fs');
const path = require('path');

const DIR = path.join(__dirname, '..', '..', '..', 'schemas', 'harness');
const cache = new Map();

function load(name) {
  if (!cache.has(name)) {
    let schema = null;
    try {
      schema = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.schema.json`), 'utf8'));
    } catch (e) {
      schema = null; // no schema shipped: the operation checks its own parameters
    }
    cache.set(name, schema);
  }
  return cache.get(name);
}

function typeOk(type, v) {
  switch (type) {
    case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    default: return false;
  }
}

const HEX = '^([0-9A-Fa-f]{2})*$';

// Hexadecimal byte strings are checked in one linear pass (VDC-HARN-901).
function matches(pattern, v) {
  if (pattern === HEX) return v.length % 2 === 0 && !/[^0-9A-Fa-f]/.test(v);
  return new RegExp(pattern, 'u').test(v);
}

function check(s, v) {
  if (!s) return true;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeOk(t, v))) return false;
  }
  if (s.enum && !s.enum.some((e) => e === v)) return false;
  if (s.const !== undefined && s.const !== v) return false;
  if (s.oneOf && s.oneOf.filter((alt) => check(alt, v)).length !== 1) return false;
  if (typeof v === 'string') {
    if (s.pattern && !matches(s.pattern, v)) return false;
    const n = Array.from(v).length;
    if ((s.minLength !== undefined && n < s.minLength) || (s.maxLength !== undefined && n > s.maxLength)) return false;
  }
  if (typeof v === 'number') {
    if ((s.minimum !== undefined && v < s.minimum) || (s.maximum !== undefined && v > s.maximum)) return false;
  }
  if (Array.isArray(v)) {
    if (s.items && !v.every((x) => check(s.items, x))) return false;
    if ((s.minItems !== undefined && v.length < s.minItems) || (s.maxItems !== undefined && v.length > s.maxItems)) return false;
    if (s.uniqueItems && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) return false;
  }
  if (typeOk('object', v)) {
    const props = s.properties || {};
    if ((s.required || []).some((k) => !(k in v))) return false;
    for (const [k, x] of Object.entries(v)) {
      if (props[k]) {
        if (!check(props[k], x)) return false;
      } else if (s.additionalProperties === false) {
        return false;
      }
      if (s.propertyNames && !check({ type: 'string', ...s.propertyNames }, k)) return false;
    }
  }
  return true;
}

// True when `value` fits the schema `name` (or when no such schema is shipped).
function validate(name, value) {
  return check(load(name), value);
}

module.exports = { validate };
