'use strict';
// The synthetic account directory, the dated eligibility policy and the France
// Identité test key the service under test uses: the data published under
// vectors/enrolment/ (VDC-ENR-014, VDC-HARN-011), read as the enrolment chapter
// states their form.
const fs = require('fs');
const path = require('path');

const DIR = path.join(__dirname, '..', '..', '..', '..', '..', 'vectors', 'enrolment');

function group(file) {
  return JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')).testGroups[0];
}

const ACCOUNTS = group('accounts.json').accounts;
const POLICY = group('eligibility.json').policy;
const FRANCE_IDENTITE = group('france_identite.json');
const FI_KEY = Buffer.from(FRANCE_IDENTITE.key, 'hex');
const FI_LIFETIME = FRANCE_IDENTITE.lifetimeSeconds;

function lookup(nir) {
  return ACCOUNTS.find((a) => a.nir === nir) || null;
}

// The rows in force on `day` (YYYY-MM-DD): those whose `effective` date has come.
function rowsOn(rows, day) {
  return rows.filter((r) => r.effective <= day);
}

function latestOn(rows, day) {
  return rowsOn(rows, day).reduce((best, r) => (!best || r.effective >= best.effective ? r : best), null);
}

const rules = {
  minimumAge: (day) => (latestOn(POLICY.minimumAge, day) || { years: 0 }).years,
  routeOpen: (route, day) => rowsOn(POLICY.routesOpen, day).some((r) => r.route === route),
  // Per route, the latest minimum in force; a route without one has no minimum.
  osMinimum: (route, day) => latestOn(POLICY.osMinimum.filter((r) => r.route === route), day),
  document: (id, route, day) => rowsOn(POLICY.documents, day).find((d) => d.id === id && d.route === route) || null,
  departmentOpen: (department, day) => {
    const row = latestOn(POLICY.documentRouteDepartments, day);
    return Boolean(row) && (row.departments === 'all' || row.departments.includes(department));
  },
  modernIdCardFrom: () => POLICY.modernIdCardFrom,
};

// Everything in force on `day`, in the form of the eligibility vectors' `rules`.
function snapshot(day) {
  const docs = (route) => rowsOn(POLICY.documents, day).filter((d) => d.route === route).map((d) => d.id).sort();
  const deps = latestOn(POLICY.documentRouteDepartments, day);
  const os = {};
  for (const route of ['document', 'france-identite']) {
    const row = rules.osMinimum(route, day);
    if (row) os[route] = { android: row.android, ios: row.ios };
  }
  return {
    minimumAge: rules.minimumAge(day),
    routesOpen: [...new Set(rowsOn(POLICY.routesOpen, day).map((r) => r.route))].sort(),
    documents: { 'france-identite': docs('france-identite'), document: docs('document') },
    departmentsOpen: deps ? (deps.departments === 'all' ? 'all' : [...deps.departments].sort()) : [],
    osMinimum: os,
  };
}

module.exports = { snapshot, ACCOUNTS, POLICY, FI_KEY, FI_LIFETIME, lookup, rules };
