'use strict';
// Enrolment operations: not yet implemented.
function enrolmentOps() {
  return {};
}

module.exports = { enrolmentOps };
