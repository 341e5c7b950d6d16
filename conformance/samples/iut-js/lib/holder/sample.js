'use strict';
// The synthetic beneficiary this implementation provisions: an insured parent with a
// complementary cover and two attached minors, every element of the credential
// chapter present. Synthetic data only (family name EXEMPLE); the NIR keys are
// computed, not real.
const TYPICAL = Object.freeze({
  nir: '288069201234561',
  family_name: 'EXEMPLE',
  given_names: 'Claire Anne',
  birth_date: '19880614',
  birth_rank: 1,
  quality: 0,
  affiliation: { regime: '01', caisse: '921', centre: '0042' },
  rights: [{ start: '20260101', end: '20271231' }],
  complementary: [{ organisation: '88888801', period: { start: '20260101', end: '20261231' } }],
  minors: [
    { nir: '115076901234656', family_name: 'EXEMPLE', given_names: 'Hugo', birth_date: '20150700', birth_rank: 1, quality: 6 },
    { nir: '218036901234785', family_name: 'EXEMPLE', given_names: 'Zoé', birth_date: '20180321', birth_rank: 1, quality: 6 },
  ],
});

module.exports = { TYPICAL };
