'use strict';
// Operations of the enrolment profile (spec/harness.md); events in the JSON form of
// lib/enrolment/events.js.
const { EnrolmentService } = require('../enrolment/service');
const { instant } = require('./common');

function enrolmentOps(ctx) {
  ctx.enrolment = new EnrolmentService(ctx.storeDir);
  ctx.resetEnrolment = () => ctx.enrolment.reset();
  const svc = () => ctx.enrolment;
  return {
    'enrolment.setup': (p) => {
      svc().setup({ persistent: Boolean(p.persistent) });
      return {};
    },
    'enrolment.restart': () => {
      svc().restart();
      return {};
    },
    'enrolment.start': (p) => svc().start(p.event, instant(p.now)),
    'enrolment.handle': (p) => svc().handle(p.id, p.event, instant(p.now)),
    'enrolment.observe': (p) => svc().observe(p.id),
    'enrolment.mailbox': (p) => svc().mailbox(p.id),
  };
}

module.exports = { enrolmentOps };
