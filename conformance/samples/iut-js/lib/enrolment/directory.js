'use strict';
// The synthetic account directory and the dated eligibility policy the enrolment
// service reads (spec/enrolment.md "Eligibility", "Collaborators"). Synthetic data
// only: every account is of the EXEMPLE family.
//
// PROVISIONAL: the specification does not yet list the accounts nor the policy's
// dated rules (spec gaps G2 and G3); the values below are inferred from the
// enrolment trace vectors and are replaced by the specified ones when they exist.
const { utcInstant } = require('../time');

const ACCOUNTS = [
  { nir: '290017505612320', familyName: 'EXEMPLE', givenNames: 'Camille', birthDate: '1990-01-15', department: '75', email: 'camille.exemple@example.org', carteVitale: true },
  { nir: '178016938100416', familyName: 'EXEMPLE', givenNames: 'Paul', birthDate: '1978-01-20', department: '69', email: 'paul.exemple@example.org', carteVitale: true },
  { nir: '185062304506751', familyName: 'EXEMPLE', givenNames: 'Louis', birthDate: '1985-06-10', department: '23', email: 'louis.exemple@example.org', carteVitale: true },
  { nir: '192029935201178', familyName: 'EXEMPLE', givenNames: 'Sara', birthDate: '1992-02-11', department: '99', email: 'sara.exemple@example.org', carteVitale: false },
  { nir: '212066912308971', familyName: 'EXEMPLE', givenNames: 'Lina', birthDate: '2012-06-01', department: '69', email: 'lina.exemple@example.org', carteVitale: true },
];

const POLICY = {
  minimumAge: [{ from: utcInstant(2020, 1, 1), years: 16 }],
  routes: {
    'france-identite': {
      opens: [{ from: utcInstant(2022, 1, 1), open: true }],
      minOs: [{ from: utcInstant(2020, 1, 1), android: 9, ios: 16 }],
    },
    document: {
      opens: [{ from: utcInstant(2023, 6, 1), open: true }],
      minOs: [{ from: utcInstant(2020, 1, 1), android: 8, ios: 15 }],
    },
  },
  documents: [
    { from: utcInstant(2023, 6, 1), accepted: ['id-card-fr', 'passport-fr', 'residence-permit-fr'] },
  ],
  departments: [
    { from: utcInstant(2023, 6, 1), open: ['75', '69'] },
    { from: utcInstant(2024, 3, 1), open: ['75', '69', '13', '33', '59', '92', '93', '94'] },
    { from: utcInstant(2025, 6, 30), open: 'all' },
  ],
  sides: {
    'id-card-fr': ['front', 'back'],
    'residence-permit-fr': ['front', 'back'],
    'passport-fr': ['photo-page'],
  },
};

// The rule in force at `now`: the last one whose date has come (VDC-ENR-011).
function inForce(rules, now) {
  let found = null;
  for (const r of rules) if (r.from <= now) found = r;
  return found;
}

function lookup(nir) {
  return ACCOUNTS.find((a) => a.nir === nir) || null;
}

module.exports = { ACCOUNTS, POLICY, inForce, lookup };
